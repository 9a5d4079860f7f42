import { describe, expect, it } from 'vitest';
import { adminRoutes, type AdminDeps } from '../../functions/admin/admin-routes.ts';
import { confirmRoutes, type ConfirmDeps } from '../../functions/intake/confirm-routes.ts';
import { registerRoutes, type RegisterDeps } from '../../functions/intake/register-routes.ts';
import { registrationPageRoutes } from '../../functions/intake/registration-page-routes.ts';
import { listSessionsRoutes } from '../../functions/programme/list-sessions-routes.ts';
import { manageRoutes, type ManageDeps } from '../../functions/registrant/manage-routes.ts';
import { routes, type FunctionName } from '../../infra/topology.ts';

// Only the route keys are read here: the factories build closures and touch no dependency until a request.
const routeTables: Partial<Record<FunctionName, Record<string, unknown>>> = {
  manage: manageRoutes({} as ManageDeps),
  adminApi: adminRoutes({} as AdminDeps),
  register: { ...registerRoutes({} as RegisterDeps), ...confirmRoutes({} as ConfirmDeps) },
  web: registrationPageRoutes({} as Parameters<typeof registrationPageRoutes>[0]),
  listSessions: listSessionsRoutes({} as Parameters<typeof listSessionsRoutes>[0]),
};

describe('HTTP routes', () => {
  it('covers every function the topology routes HTTP to', () => {
    expect(Object.keys(routeTables).sort()).toEqual([...new Set(routes.map((route) => route.function))].sort());
  });

  for (const [name, table] of Object.entries(routeTables)) {
    it(`${name} handles exactly the routes the topology sends it`, () => {
      const declared = routes.filter((route) => route.function === name).map((route) => `${route.method} ${route.path}`);
      expect(Object.keys(table!).sort()).toEqual(declared.sort());
    });
  }
});
