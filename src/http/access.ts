/**
 * What a route requires, declared in its config (`config: { access: 'registrar' }`): `open` is always open,
 * `public` reads are open unless PUBLIC_REPORTS=false, the others need a token of that role or above
 * (src/auth/hook.ts enforces it; a route without one is admin-only). The OpenAPI document derives each
 * operation's security requirement from it.
 */
export type Access = 'open' | 'public' | 'viewer' | 'registrar' | 'admin'

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access
  }
}
