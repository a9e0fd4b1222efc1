import type { x509 } from './x509';

/** The parts of a distinguished name this PKI uses. Values are data, never parsed as DN syntax. */
export interface SubjectName {
  commonName: string;
  organization?: string;
  country?: string;
}

/** A JSON name, so that a comma or an equals sign in a store's name cannot forge another attribute. */
export function toJsonName(name: SubjectName): x509.JsonName {
  const parts: x509.JsonName = [{ CN: [name.commonName] }];
  if (name.organization) parts.push({ O: [name.organization] });
  if (name.country) parts.push({ C: [name.country] });
  return parts;
}
