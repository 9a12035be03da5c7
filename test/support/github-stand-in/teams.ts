// Organisation team membership: readable only with a token allowed to read members
// (the workflow's GITHUB_TOKEN never is: 403 "Resource not accessible by integration").
import { simpleUser } from './builders.js';
import { forbiddenIntegration, notFound, ok, paginate, type Ctx } from './http.js';
import type { Router } from './router.js';
import type { TeamRec } from './state.js';

function readableTeam(ctx: Ctx): TeamRec {
  // An organisation permission no GITHUB_TOKEN can have: https://docs.github.com/en/rest/teams/members#list-team-members
  if (!ctx.token.readTeams) throw forbiddenIntegration('members=read');
  const t = ctx.state.team(ctx.params.org as string, ctx.params.slug as string);
  if (!t) throw notFound();
  return t;
}

export function teamRoutes(r: Router): void {
  r.add('GET', '/orgs/:org/teams/:slug/members', (ctx) => {
    const s = ctx.state;
    return paginate(
      ctx,
      readableTeam(ctx).members.map((m) => simpleUser(s, m)),
    );
  });

  r.add('GET', '/orgs/:org/teams/:slug/memberships/:username', (ctx) => {
    const s = ctx.state;
    const t = readableTeam(ctx);
    const login = t.members.find(
      (m) => m.toLowerCase() === (ctx.params.username as string).toLowerCase(),
    );
    if (!login) throw notFound();
    return ok({
      url: `${s.apiUrl}/organizations/${s.user(t.org).id}/team/${t.id}/memberships/${login}`,
      role: 'member',
      state: 'active',
    });
  });
}
