/**
 * The bank's list of service crews for its terminals: ids, roles and PIN hashes only (the bank
 * never holds or sends a PIN). Starts with the development crew; an operator replaces the list
 * through the admin route.
 *
 * Not from a published bank protocol: `GET /v1/service-users` and `PUT /admin/service-users` are
 * this project's own design, shaped after what a terminal needs to check a crew member offline.
 */
import type { FastifyInstance } from 'fastify';
import { DEV_SERVICE_USERS, ServiceUsersList, type ServiceUser } from '../../kiosk/service-mode/service-users.js';
import { parseOr400 } from './server.js';

export function registerServiceCrewRoutes(app: FastifyInstance): void {
  let users: ServiceUser[] = [...DEV_SERVICE_USERS];
  app.get('/v1/service-users', async () => ServiceUsersList.parse({ users }));
  app.put('/admin/service-users', async (request, reply) => {
    const body = parseOr400(ServiceUsersList, request.body, reply);
    if (body === undefined) return reply;
    users = body.users;
    return { users: users.length };
  });
}
