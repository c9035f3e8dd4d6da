// Staff accounts are queue agents (on whichever database openTestDatabase picks): a collector created
// through the API is an agent of the collections queue with the skills and capacity given, shown with the
// account; going off shift stops new cases (the queue refuses them), disabling the account takes the agent
// off the queue and enabling puts it back; a role that works no queue refuses agent settings by name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAgent } from '../store/index.ts';
import { PASSWORD, signInStaff, startApi, type ApiHarness } from './testing.ts';

describe('staff accounts as queue agents', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApi();
  });
  afterAll(async () => h.close());

  it('creates a collector with its agent, edits its shift, and follows the account off and on', async () => {
    const created = await h.call({
      method: 'POST',
      url: '/api/v1/staff',
      token: h.staffTokens.admin,
      payload: {
        username: 'wang.fang',
        role: 'collector',
        password: PASSWORD,
        agent: { languages: ['zh-CN'], buckets: ['M1', 'M2'], capacity: 25 },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().agent).toEqual({
      team: 'collections',
      languages: ['zh-CN'],
      buckets: ['M1', 'M2'],
      capacity: 25,
      onShift: true,
    });
    expect(await getAgent(h.db, 'wang.fang')).toMatchObject({ team: 'collections', capacity: 25, active: true });

    const token = await signInStaff(h.call, 'wang.fang');
    const claim = await h.call({ method: 'POST', url: '/api/v1/queue/next', token, payload: {} });
    expect(claim.statusCode, claim.body).toBe(200);

    const offShift = await h.call({
      method: 'PATCH',
      url: '/api/v1/staff/wang.fang',
      token: h.staffTokens.admin,
      payload: { agent: { onShift: false } },
    });
    expect(offShift.json().agent).toMatchObject({ onShift: false, capacity: 25 });
    const refused = await h.call({ method: 'POST', url: '/api/v1/queue/next', token, payload: {} });
    expect(refused.statusCode).toBe(400);

    await h.call({
      method: 'PATCH',
      url: '/api/v1/staff/wang.fang',
      token: h.staffTokens.admin,
      payload: { disabled: true },
    });
    expect((await getAgent(h.db, 'wang.fang'))?.active).toBe(false);
    const enabled = await h.call({
      method: 'PATCH',
      url: '/api/v1/staff/wang.fang',
      token: h.staffTokens.admin,
      payload: { disabled: false },
    });
    expect(enabled.json().agent).toMatchObject({ onShift: true, languages: ['zh-CN'] });
    expect((await getAgent(h.db, 'wang.fang'))?.active).toBe(true);

    const listed = await h.call({ method: 'GET', url: '/api/v1/staff?limit=100', token: h.staffTokens.admin });
    const rows = (listed.json() as { items: { username: string; agent: unknown }[] }).items;
    expect(rows.find((row) => row.username === 'wang.fang')?.agent).toMatchObject({ team: 'collections' });
    expect(rows.find((row) => row.username === 'viewer')?.agent).toBeNull();
  });

  it('refuses agent settings for a role that works no queue, naming the field', async () => {
    const response = await h.call({
      method: 'POST',
      url: '/api/v1/staff',
      token: h.staffTokens.admin,
      payload: { username: 'zhao.lei', role: 'viewer', password: PASSWORD, agent: { capacity: 5 } },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ field: 'agent.capacity' });
    const listed = await h.call({ method: 'GET', url: '/api/v1/staff?limit=100', token: h.staffTokens.admin });
    expect((listed.json() as { items: { username: string }[] }).items.map((row) => row.username)).not.toContain(
      'zhao.lei',
    );
  });
});
