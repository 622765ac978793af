import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';

// The shipped broker configuration and ACL, on a real Mosquitto of the test's own (deploy/mosquitto/verify-acl.sh):
// who may publish and read which topics (frames are engines-only), retained messages refused, passwords required.
it('the production broker rules hold on a real Mosquitto', () => {
  const r = spawnSync('bash', ['deploy/mosquitto/verify-acl.sh'], { encoding: 'utf8', timeout: 120_000 });
  const out = `${r.stdout}${r.stderr}`;
  expect(out, out.split('\n').filter((l) => l.startsWith('FAIL')).join('\n')).toMatch(/== \d+ passed, 0 failed/);
  expect(r.status).toBe(0);
});
