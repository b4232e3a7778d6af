#!/usr/bin/env bash
# Runs a command with MONGODB_URI pointing at a throw-away FerretDB (SQLite handler), then stops it.
#   backend/scripts/with-ferretdb.sh node --import tsx --test backend/src/storage/mongo-storage.test.ts
# The FerretDB binary is found as in backend/test/support/ferretdb.ts (FERRETDB_BIN, PATH, ~/go/bin).
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 <command> [args...]" >&2
  exit 2
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

exec node --import tsx --input-type=module -e '
import { spawn } from "node:child_process";
import { startFerretDb } from "./backend/test/support/ferretdb.ts";

const [command, ...args] = process.argv.slice(1);
const ferret = await startFerretDb();
const child = spawn(command, args, { stdio: "inherit", env: { ...process.env, MONGODB_URI: ferret.uri } });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
const code = await new Promise((resolve) => child.on("exit", (status, signal) => resolve(status ?? (signal ? 1 : 0))));
await ferret.stop();
process.exit(code);
' "$@"
