// Kubernetes objects for running workloads on k6-operator (v1.6.0, TestRun in k6.io/v1alpha1):
// one ConfigMap per bundled workload, one TestRun per run, the shared results volume and a pod
// to copy the runners' outputs out of it. Pure: values in, plain objects out; the command
// reads the files and writes the YAML.
//
// Why each piece is there:
// - every runner writes `--out json` to the results volume under a name unique to the runner
//   (its Job name, from the pod's `job-name` label), because only all raw points together give
//   exact global percentiles (`ledger-perf merge`); k6-operator merges nothing;
// - Prometheus remote write is for watching the run live, not for verdicts (its trend stats
//   are per runner);
// - secrets reach the runners only as `valueFrom.secretKeyRef`: never a value in a manifest.

export const TESTRUN_API_VERSION = 'k6.io/v1alpha1';
/** Where the operator mounts a ConfigMap script (pkg/types/script.go: always /test). */
export const SCRIPT_MOUNT = '/test';
export const RESULTS_MOUNT = '/results';
/** The env var holding the runner's Job name (`<testrun>-<index>`), used in the output path. */
export const RUNNER_NAME_VAR = 'LEDGER_PERF_RUNNER';
/** The grafana/k6 image runs as this uid/gid; fsGroup makes the results volume writable for it. */
export const K6_IMAGE_GID = 12345;

export interface SecretKeys {
  /** Secret key holding ADMIN_PASSWORD (required: a cluster target is never loopback). */
  adminPassword: string;
  prometheusUser: string;
  prometheusPassword: string;
}

export const DEFAULT_SECRET_KEYS: SecretKeys = {
  adminPassword: 'admin-password',
  prometheusUser: 'prometheus-rw-username',
  prometheusPassword: 'prometheus-rw-password',
};

export interface K8sRun {
  /** TestRun name: a DNS label, at most MAX_TESTRUN_NAME characters. */
  name: string;
  workload: string;
  profile: string;
  testId: string;
  /** Non-secret -e variables for the script (profile knobs, identity names, ...). */
  env: Record<string, string>;
}

export interface K8sOptions {
  namespace: string;
  parallelism: number;
  baseUrl: string;
  image: string;
  secretName: string;
  secretKeys: SecretKeys;
  resultsClaim: string;
  resultsSize: string;
  storageClass?: string;
  /** null: no Prometheus remote write output. */
  prometheusUrl: string | null;
  requests: { cpu: string; memory: string };
  limits: { memory: string };
  /** One runner per node (the operator's anti-affinity). */
  separate: boolean;
}

export interface Bundle {
  workload: string;
  js: string;
  map?: string;
  /** Side modules some run of this workload loads beside the script (file name -> content). */
  sideModules?: Record<string, string>;
}

/** k6-operator names runner Jobs `<name>-<index>` and services `<name>-service-<index>`; both must stay DNS labels (63). */
export const MAX_TESTRUN_NAME = 50;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Resource quantities as Kubernetes writes them (the CRD's pattern). */
export const QUANTITY = /^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;

/** A run label ("baseline-100tps") as a TestRun name, or why it cannot be one. */
export function testRunNameProblem(name: string): string | null {
  if (name.length > MAX_TESTRUN_NAME) return `"${name}" is ${name.length} characters; a TestRun name may have at most ${MAX_TESTRUN_NAME} (the operator appends -service-<index>)`;
  if (!DNS_LABEL.test(name)) return `"${name}" is not a Kubernetes name: lowercase letters, digits and '-', starting and ending with a letter or digit`;
  return null;
}

export function configMapName(workload: string): string {
  return `ledger-perf-${workload}`;
}

/** Where runner <job> writes its k6 JSON output on the results volume. */
export function runnerOutputPath(testId: string, runnerRef = `$(${RUNNER_NAME_VAR})`): string {
  return `${RESULTS_MOUNT}/${testId}.${runnerRef}.json.gz`;
}

const labels = (extra: Record<string, string> = {}) => ({ 'app.kubernetes.io/part-of': 'ledger-perf', ...extra });

export function configMapFor(bundle: Bundle, namespace: string): object {
  const data: Record<string, string> = { [`${bundle.workload}.js`]: bundle.js };
  if (bundle.map !== undefined) data[`${bundle.workload}.js.map`] = bundle.map;
  // The operator mounts every key as a file in /test, beside the script, where k6's require() looks.
  for (const [file, content] of Object.entries(bundle.sideModules ?? {})) data[file] = content;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: configMapName(bundle.workload), namespace, labels: labels({ 'ledger-perf/workload': bundle.workload }) },
    data,
  };
}

/** The k6 arguments of one run (`spec.args`: exact argv, no shell). */
export function k6ArgsFor(run: K8sRun, o: K8sOptions): string[] {
  const env = { PROFILE: run.profile, BASE_URL: o.baseUrl, TESTID: run.testId, ...run.env };
  return [
    ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
    // Any --tag replaces the script's options.tags (k6 before the merge-run-tags feature), and the
    // operator always adds its own; so the script's run tags are repeated here.
    '--tag',
    `testid=${run.testId}`,
    '--tag',
    `workload=${run.workload}`,
    '--tag',
    `profile=${run.profile}`,
    '--out',
    `json=${runnerOutputPath(run.testId)}`,
    ...(o.prometheusUrl ? ['--out', 'experimental-prometheus-rw'] : []),
    '--no-usage-report',
  ];
}

function runnerEnv(o: K8sOptions): object[] {
  const secret = (name: string, key: string, optional: boolean) => ({ name, valueFrom: { secretKeyRef: { name: o.secretName, key, optional } } });
  const env: object[] = [
    // Kubernetes expands $(LEDGER_PERF_RUNNER) in the container command from this variable.
    { name: RUNNER_NAME_VAR, valueFrom: { fieldRef: { fieldPath: "metadata.labels['job-name']" } } },
    secret('ADMIN_PASSWORD', o.secretKeys.adminPassword, false),
  ];
  if (o.prometheusUrl) {
    env.push(
      { name: 'K6_PROMETHEUS_RW_SERVER_URL', value: o.prometheusUrl },
      // Percentiles in Prometheus are per runner: fine for watching, never for verdicts.
      { name: 'K6_PROMETHEUS_RW_TREND_STATS', value: 'p(50),p(95),p(99),min,max,avg,count' },
      secret('K6_PROMETHEUS_RW_USERNAME', o.secretKeys.prometheusUser, true),
      secret('K6_PROMETHEUS_RW_PASSWORD', o.secretKeys.prometheusPassword, true),
    );
  }
  return env;
}

export function testRunFor(run: K8sRun, o: K8sOptions): object {
  return {
    apiVersion: TESTRUN_API_VERSION,
    kind: 'TestRun',
    metadata: { name: run.name, namespace: o.namespace, labels: labels({ 'ledger-perf/workload': run.workload, 'ledger-perf/profile': run.profile, 'ledger-perf/testid': run.testId }) },
    spec: {
      parallelism: o.parallelism,
      separate: o.separate,
      // The runner pods go when the test ends; the outputs stay on the results volume.
      cleanup: 'post',
      script: { configMap: { name: configMapName(run.workload), file: `${run.workload}.js` } },
      args: k6ArgsFor(run, o),
      runner: {
        image: o.image,
        metadata: { labels: labels({ 'ledger-perf/testid': run.testId }) },
        env: runnerEnv(o),
        resources: { requests: { cpu: o.requests.cpu, memory: o.requests.memory }, limits: { memory: o.limits.memory } },
        securityContext: { fsGroup: K6_IMAGE_GID },
        volumes: [{ name: 'results', persistentVolumeClaim: { claimName: o.resultsClaim } }],
        volumeMounts: [{ name: 'results', mountPath: RESULTS_MOUNT }],
      },
    },
  };
}

/** Shared by every runner of every TestRun, so it must be ReadWriteMany; it outlives `cleanup: post`. */
export function resultsClaimFor(o: K8sOptions): object {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: o.resultsClaim, namespace: o.namespace, labels: labels() },
    spec: {
      accessModes: ['ReadWriteMany'],
      ...(o.storageClass ? { storageClassName: o.storageClass } : {}),
      resources: { requests: { storage: o.resultsSize } },
    },
  };
}

/** A pod that only mounts the results volume, for `kubectl cp` (runner pods are gone after cleanup). */
export function resultsReaderFor(o: K8sOptions, image: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `${o.resultsClaim}-reader`, namespace: o.namespace, labels: labels() },
    spec: {
      securityContext: { runAsUser: K6_IMAGE_GID, runAsGroup: K6_IMAGE_GID, fsGroup: K6_IMAGE_GID },
      containers: [
        {
          name: 'reader',
          image,
          // The k6 image has a shell; the pod idles (bounded: 24 h) until deleted.
          command: ['sh', '-c', 'sleep 86400'],
          volumeMounts: [{ name: 'results', mountPath: RESULTS_MOUNT, readOnly: true }],
        },
      ],
      volumes: [{ name: 'results', persistentVolumeClaim: { claimName: o.resultsClaim } }],
      restartPolicy: 'Never',
    },
  };
}
