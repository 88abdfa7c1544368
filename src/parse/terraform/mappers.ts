// Every resource type the model knows, by provider: the one place a new resource type is added
// (the .tf reader and the plan JSON reader both map through this table).
import { AWS_MAPPERS, type Mapper } from './mapAws';
import { AZURE_MAPPERS } from './mapAzure';
import { AVIATRIX_MAPPERS } from './mapAviatrix';

export type { Mapper };

export const MAPPERS: Record<string, Mapper> = { ...AWS_MAPPERS, ...AZURE_MAPPERS, ...AVIATRIX_MAPPERS };
