// Small `terraform show -json` plans for tests, written here (not copied from any repository).

/** A small plan in the shape `terraform show -json` prints: values, unknowns, configuration expressions. */
export function planOf(
  rs: [address: string, values: object, unknown?: object][],
  exprs: Record<string, object>,
  variables?: Record<string, unknown>,
): string {
  const strip = (a: string) => a.replace(/\[[^\]]*\]$/, '');
  const configs = [...new Set(rs.map(([a]) => strip(a)))].map((address) => ({ address, expressions: exprs[address] ?? {} }));
  return JSON.stringify(
    {
      format_version: '0.1',
      terraform_version: '0.12.20',
      ...(variables ? { variables: Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, { value: v }])) } : {}),
      planned_values: {
        root_module: {
          resources: rs.map(([address, values]) => ({
            address,
            mode: 'managed',
            type: address.split('.')[0],
            name: strip(address).split('.')[1],
            values,
          })),
        },
      },
      resource_changes: rs.map(([address, values, unknown]) => ({
        address,
        change: { actions: ['create'], after: values, after_unknown: unknown ?? { id: true } },
      })),
      configuration: { root_module: { resources: configs } },
    },
    null,
    2,
  );
}
