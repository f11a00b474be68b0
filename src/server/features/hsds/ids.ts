import crypto from 'node:crypto';

/** RFC 4122 name-based UUID (version 5, SHA-1). */
export function uuidv5(name: string, namespace: string): string {
  const hash = crypto
    .createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';
/** The namespace of every identifier Korte Lijn derives for HSDS objects that have no row of their own. */
export const KL_NAMESPACE = uuidv5('https://kortelijn.be/hsds', URL_NAMESPACE);

/**
 * A stable id for a derived HSDS object (a phone, a service area, an attribute, …): the same offer gives the
 * same ids on every export, so consumers can diff exports and a re-import recognises them.
 */
export const derivedId = (...parts: string[]) => uuidv5(parts.join(':'), KL_NAMESPACE);

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Service areas name their municipality by this URI: `urn:statbel:nis:44021` (Statbel REFNIS code). */
export const NIS_URN_PREFIX = 'urn:statbel:nis:';
