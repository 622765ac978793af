import { randomBytes } from 'node:crypto';
import type { StoreConfig, TokenEntry } from '#contracts';

const secret = (prefix: string, random: (n: number) => Buffer) => `${prefix}_${random(24).toString('base64url')}`;

/**
 * Real tokens for a store estate (docs/security.md): one per screen (bound to it), one label gateway,
 * one associate handheld and one console per store, and one merchandiser for all stores. 192 random
 * bits each; the role prefix only helps an operator tell them apart.
 */
export function makeTokens(stores: readonly StoreConfig[], random: (n: number) => Buffer = randomBytes): TokenEntry[] {
  const out: TokenEntry[] = [];
  for (const s of stores) {
    for (const sc of s.screens) out.push({ token: secret('scr', random), role: 'screen', storeId: s.storeId, subject: sc.screenId });
    out.push({ token: secret('lgw', random), role: 'label-gateway', storeId: s.storeId, subject: `esl-bridge-${s.storeId}` });
    out.push({ token: secret('asc', random), role: 'associate', storeId: s.storeId, subject: `assoc-${s.storeId}` });
    out.push({ token: secret('con', random), role: 'console', storeId: s.storeId, subject: `console-${s.storeId}` });
  }
  out.push({ token: secret('mer', random), role: 'merchandiser', storeId: '*', subject: 'merchandiser' });
  return out;
}

/** The broker ACL for these stores: the shipped rules, with one gateway block per store. */
export function makeAcl(template: string, storeIds: readonly string[]): string {
  const block = /\nuser gw-s-001\n(?:topic [^\n]+\n)+/.exec(template)?.[0];
  if (!block) throw new Error('the ACL template has no gw-s-001 block to copy');
  const blocks = storeIds.map((id) => block.replaceAll('s-001', id)).join('');
  return template.replace(block, blocks);
}
