// Linux capabilities a container gets when its securityContext says nothing: the default set of the OCI
// spec that containerd and Docker generate (moby/moby oci/caps/defaults.go, containerd oci/spec.go
// populateDefaultUnixSpec). CRI-O grants a subset of it, so this set covers every common runtime.
export const RUNTIME_DEFAULT_CAPABILITIES = [
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'NET_RAW', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
] as const;

/** The one capability the Pod Security Standards (restricted) let a container add back. */
export const ALLOWED_CAPABILITY = 'NET_BIND_SERVICE';

/** Names are compared without regard to case, as Polaris compares them (`all`, `net_admin`). */
export function normalizeCapability(name: string): string {
  return name.toUpperCase();
}
