/**
 * The generator packaged for EC2: an esbuild bundle of ec2-entry.ts (Node, minified, no AWS SDK),
 * embedded in a cloud-init shell script that installs Node, fetches the settings from SSM Parameter
 * Store, and runs the generator once (then shuts the instance down) or as a service. The whole
 * user-data is gzipped (cloud-init unpacks it) and must stay within EC2's 16 KB limit; inside it the
 * bundle is brotli-compressed and base64-encoded (Node unpacks it at boot), which packs about 10%
 * tighter than leaving the JavaScript to the outer gzip.
 */
import { build, type Plugin } from 'esbuild';
import * as path from 'node:path';
import { constants, brotliCompressSync, gzipSync } from 'node:zlib';
import { bundledAudience } from './default-audience';
import { AWS_REGION_PATTERN, type Ec2Settings } from './ec2-settings';
import { FIELD_IS_STRING, REQUIRED_FIELDS } from './fault-fields';
import { engines } from '../package.json';

/** EC2 refuses user-data above 16 KB (after base64 decoding: the gzipped bytes here). */
export const USER_DATA_LIMIT_BYTES = 16 * 1024;
/** The heredoc delimiter the packed bundle sits between (base64 never contains it). */
export const BUNDLE_DELIMITER = 'CLICKSTREAM_GENERATOR_BUNDLE';

export interface UserDataOptions {
  /** The AWS region of the SSM parameter (and, unless the settings say otherwise, of the bucket). */
  readonly region: string;
  /** The SSM parameter holding the settings as JSON, read at boot with the instance role. */
  readonly settingsParameterName?: string;
  /** Or the settings themselves, embedded in the user-data (no SSM read). */
  readonly settings?: Ec2Settings;
  /**
   * With settingsParameterName: a digest of the parameter's value, written into the script, so that a
   * settings change changes the user data and (with userDataReplaceOnChange) brings a new instance
   * that reads them; a running instance never reads its parameter again.
   */
  readonly settingsDigest?: string;
}

/** Attempts to read the settings parameter at boot, with doubling waits between them (5 s to 60 s). */
export const SETTINGS_READ_ATTEMPTS = 8;

export interface UserData {
  /** For the instance's `userDataBase64`. */
  readonly userDataBase64: string;
  /** What EC2 counts against its limit. */
  readonly gzippedBytes: number;
  readonly bundleBytes: number;
  /** The script before gzip, for review. */
  readonly script: string;
}

/** Replaces the module `./<name>` with `contents`, computed here at build time. */
function precomputed(name: string, contents: () => string): Plugin {
  return {
    name: `precomputed-${name}`,
    setup(plugin) {
      plugin.onResolve({ filter: new RegExp(`[\\\\/]${name}$`) }, () => ({ path: name, namespace: 'precomputed' }));
      plugin.onLoad({ filter: new RegExp(`^${name}$`), namespace: 'precomputed' }, () => ({ loader: 'js', contents: contents() }));
    },
  };
}

/**
 * The bundle has no reference CSV to read: default-audience.ts is replaced by the audience it would
 * compute, as columns (weights, clocks, and ids unless they are simply 1, 2, 3, ...): half the bytes
 * of a list of objects, in a user-data where every byte counts.
 */
function audienceModule(): string {
  const audience = bundledAudience();
  const numbered = audience.every((location, index) => location.id === String(index + 1));
  const columns = {
    ids: numbered ? null : audience.map((location) => location.id),
    weights: audience.map((location) => location.weight),
    offsets: audience.map((location) => location.utcOffsetHours),
  };
  return (
    `const { ids, weights, offsets } = ${JSON.stringify(columns)};\n` +
    'const audience = weights.map((weight, index) => ({ id: ids ? ids[index] : String(index + 1), weight, utcOffsetHours: offsets[index] }));\n' +
    'exports.bundledAudience = () => audience;\n'
  );
}

/** fault-fields.ts as its two lists: the event contract itself (with its descriptions) stays out. */
function faultFieldsModule(): string {
  return `exports.REQUIRED_FIELDS = ${JSON.stringify(REQUIRED_FIELDS)};\nexports.FIELD_IS_STRING = ${JSON.stringify(FIELD_IS_STRING)};\n`;
}

/** package.json as cli/node-version.js reads it (its engines), not the whole manifest. */
function enginesModule(): string {
  return `exports.engines = ${JSON.stringify(engines)};\n`;
}

/** The EC2 entry bundled into one minified CommonJS file for Node 22, with the audience built in. */
export async function buildGeneratorBundle(): Promise<string> {
  const result = await build({
    entryPoints: [path.join(__dirname, 'ec2-entry.ts')],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    write: false,
    legalComments: 'none',
    // The ES module builds of @smithy/* tree-shake to the signer alone; their CommonJS builds do not.
    mainFields: ['module', 'main'],
    plugins: [
      precomputed('default-audience', audienceModule),
      precomputed('fault-fields', faultFieldsModule),
      precomputed('package.json', enginesModule),
    ],
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

/** The bundle as it travels in the script: brotli at its best, base64 in lines of 76. */
export function packBundle(bundle: string): string {
  const packed = brotliCompressSync(Buffer.from(bundle, 'utf8'), {
    params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: bundle.length },
  });
  return packed.toString('base64').replace(/.{76}/g, '$&\n').trimEnd();
}

/** `'text'` as one shell word, whatever it holds. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The cloud-init script (runs once, as root, at first boot). Paths can be moved by env for tests. */
export function renderUserDataScript(bundle: string, options: UserDataOptions): string {
  if ((options.settingsParameterName === undefined) === (options.settings === undefined)) {
    throw new Error('renderUserDataScript: give exactly one of settingsParameterName (read from SSM at boot) or settings (embedded)');
  }
  if (!AWS_REGION_PATTERN.test(options.region)) {
    throw new Error(`renderUserDataScript: region "${options.region}" is not an AWS region such as eu-west-1`);
  }
  if (options.settingsDigest !== undefined && !/^[0-9a-f]{8,128}$/.test(options.settingsDigest)) {
    throw new Error(`renderUserDataScript: settingsDigest "${options.settingsDigest}" is not a hex digest`);
  }
  // A new instance profile takes a while to reach EC2 (IAM is eventually consistent): the first reads
  // can be refused, so they are retried with backoff before the boot gives up.
  const settingsStep =
    options.settingsParameterName !== undefined
      ? `${options.settingsDigest === undefined ? '' : `# settings sha256 ${options.settingsDigest}\n`}wait_seconds=5
for attempt in $(seq 1 ${SETTINGS_READ_ATTEMPTS}); do
  if aws ssm get-parameter --region ${shellQuote(options.region)} --name ${shellQuote(options.settingsParameterName)} \\
    --with-decryption --query Parameter.Value --output text >"$APP_DIR/settings.json"; then
    break
  fi
  [ "$attempt" -lt ${SETTINGS_READ_ATTEMPTS} ] || { echo "clickstream generator: could not read the settings after ${SETTINGS_READ_ATTEMPTS} attempts"; false; }
  echo "clickstream generator: settings not readable yet (attempt $attempt); retrying in \${wait_seconds}s"
  $SLEEP "$wait_seconds"
  wait_seconds=$(( wait_seconds * 2 > 60 ? 60 : wait_seconds * 2 ))
done`
      : `cat >"$APP_DIR/settings.json" <<'CLICKSTREAM_GENERATOR_SETTINGS'
${JSON.stringify(options.settings)}
CLICKSTREAM_GENERATOR_SETTINGS`;
  return `#!/bin/bash
# clickstream-bi generator (generator/userdata.ts); logs: /var/log/cloud-init-output.log, journal
set -euo pipefail
APP_DIR="\${GENERATOR_APP_DIR:-/opt/clickstream-generator}"
UNIT_DIR="\${GENERATOR_UNIT_DIR:-/etc/systemd/system}"
SHUTDOWN="\${GENERATOR_SHUTDOWN_COMMAND:-shutdown -h now}"
SLEEP="\${GENERATOR_SLEEP_COMMAND:-sleep}"
export AWS_REGION=${shellQuote(options.region)}
# Whatever fails at boot, the instance stops rather than idles (runMode once terminates it).
trap 'echo "clickstream generator: boot failed at line $LINENO; shutting down"; $SHUTDOWN' ERR

node_binary() { command -v node-22 || command -v node || true; }
for attempt in 1 2 3; do
  [ -n "$(node_binary)" ] && break
  dnf install -y nodejs22 || sleep 10
done
NODE="$(node_binary)"
[ -n "$NODE" ] || { echo "clickstream generator: could not install Node.js"; false; }

mkdir -p "$APP_DIR"
"$NODE" -e 'const z = require("zlib"), fs = require("fs");
fs.writeFileSync(process.argv[1], z.brotliDecompressSync(Buffer.from(fs.readFileSync(0, "utf8"), "base64")));' \
  "$APP_DIR/generator.js" <<'${BUNDLE_DELIMITER}'
${packBundle(bundle)}
${BUNDLE_DELIMITER}
${settingsStep}
chmod 600 "$APP_DIR/settings.json"
export GENERATOR_SETTINGS_FILE="$APP_DIR/settings.json"

MODE="$("$NODE" "$APP_DIR/generator.js" --print-run-mode)"
if [ "$MODE" = continuous ]; then
  cat >"$UNIT_DIR/clickstream-generator.service" <<SERVICE
[Unit]
Description=clickstream-bi traffic generator
After=network-online.target
Wants=network-online.target

[Service]
Environment=GENERATOR_SETTINGS_FILE=$APP_DIR/settings.json
Environment=AWS_REGION=$AWS_REGION
ExecStart=$NODE $APP_DIR/generator.js
Restart=on-failure
RestartSec=30

[Install]
WantedBy=multi-user.target
SERVICE
  systemctl daemon-reload
  systemctl enable --now clickstream-generator.service
else
  status=0
  "$NODE" "$APP_DIR/generator.js" || status=$?
  echo "clickstream generator: finished with status $status; shutting down"
  $SHUTDOWN
fi
`;
}

/** Bundles, renders, gzips and checks the size: what the infrastructure passes as `userDataBase64`. */
export async function buildUserData(options: UserDataOptions): Promise<UserData> {
  const bundle = await buildGeneratorBundle();
  const script = renderUserDataScript(bundle, options);
  const gzipped = gzipSync(Buffer.from(script, 'utf8'), { level: 9 });
  if (gzipped.length > USER_DATA_LIMIT_BYTES) {
    throw new Error(
      `generator user-data is ${gzipped.length} bytes gzipped, over EC2's limit of ${USER_DATA_LIMIT_BYTES}; ` +
        'keep heavy dependencies (such as the AWS SDK) out of generator/ec2-entry.ts and what it imports',
    );
  }
  return { userDataBase64: gzipped.toString('base64'), gzippedBytes: gzipped.length, bundleBytes: Buffer.byteLength(bundle), script };
}
