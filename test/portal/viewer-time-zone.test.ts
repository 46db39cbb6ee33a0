import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { detectTimeZone, viewerTimeZone } from '../../portal/time/viewer-time-zone.js';

function zoneApp(deploymentZone: string) {
  const app = new Hono();
  app.use('*', detectTimeZone(deploymentZone));
  app.get('/', (c) => c.text(viewerTimeZone(c)));
  return app;
}

async function zone(deploymentZone: string, path: string, cookie?: string) {
  const response = await zoneApp(deploymentZone).request(path, cookie ? { headers: { cookie } } : {});
  return { zone: await response.text(), cookie: response.headers.get('set-cookie') };
}

describe('the viewer’s time zone', () => {
  it('is the deployment’s until the viewer chooses one', async () => {
    expect(await zone('Asia/Seoul', '/')).toEqual({ zone: 'Asia/Seoul', cookie: null });
    expect((await zone('UTC', '/')).zone).toBe('UTC');
  });

  it('takes ?tz= and remembers it for the visit only, in a session cookie', async () => {
    const chosen = await zone('UTC', '/?tz=Asia/Bangkok');
    expect(chosen.zone).toBe('Asia/Bangkok');
    expect(chosen.cookie).toBe('rl_tz=Asia%2FBangkok; Path=/; HttpOnly; SameSite=Lax');
    expect((await zone('UTC', '/', 'rl_tz=Asia%2FBangkok')).zone).toBe('Asia/Bangkok');
    expect((await zone('UTC', '/?tz=Asia/Tokyo', 'rl_tz=Asia%2FBangkok')).zone).toBe('Asia/Tokyo');
  });

  it('ignores a name that is not a time zone, in the link or the cookie', async () => {
    expect(await zone('Asia/Manila', '/?tz=Mars/Olympus')).toEqual({ zone: 'Asia/Manila', cookie: null });
    expect((await zone('Asia/Manila', '/?tz=%2B07:00')).zone).toBe('Asia/Manila');
    expect((await zone('Asia/Manila', '/', 'rl_tz=%3Cscript%3E')).zone).toBe('Asia/Manila');
  });
});
