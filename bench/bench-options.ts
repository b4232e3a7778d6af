/** The benchmark's command line. `npm run bench -- --help` prints it. */
import { parseArgs } from 'node:util';

export interface BenchOptions {
  clients: number;
  roomSize: number;
  rate: number;
  durationS: number;
  drainS: number;
  bodyBytes: number;
  redis: boolean;
  mongo: boolean;
  nodes: number;
  bare: boolean;
  sweep: boolean;
  sweepStart: number;
  sweepFactor: number;
  sweepMax: number;
  sweepDurationS: number;
  /** Explicit sweep rates (--sweep-rates a,b,c): every one is measured, none skipped. */
  sweepRates: number[];
  /** Seconds of load at the step's own rate before each measured window. */
  warmUpS: number;
  /** Server process(es) on core 0, load generator on core 1 (taskset). */
  pin: boolean;
  /** Repetitions, product and bare alternating. */
  pairs: number;
  /** With --nodes > 1: which Redis adapter(s) the product runs with. */
  adapter: 'both' | 'classic' | 'sharded' | 'auto';
  /** Which process a client connects to, with --nodes > 1. */
  placement: 'room' | 'one' | 'spread';
  p99TargetMs: number;
  idle: number | null;
  history: boolean;
  historyMessages: number;
  historyPages: number;
  loginStorm: boolean;
  logins: number;
  loginRate: number;
  bcryptCost: number;
  /** `--login-storm --flood`: one client floods bcrypt work while others log in. */
  flood: boolean;
  floodLogins: number;
  floodBurst: number;
  floodRepeat: number;
  /** `--changes`: the message load with and without edits and reactions, alternated. */
  changes: boolean;
  changesPairs: number;
  /** `--change-sync`: paging through `sync` from change position 0 in a chat of many changes. */
  changeSync: boolean;
  changeSyncChanges: number;
  changeSyncPasses: number;
  /** `--store-appends`: the SQLite store alone, appended to at --rate; its CPU per message. */
  storeAppends: boolean;
  /** `--search`: message search latency on a large store, the index's size, and the send rate with indexing on and off. */
  search: boolean;
  searchMessages: number;
  searchMongoMessages: number;
  /** With --mongo: the process counts measured, in order. */
  mongoProcesses: number[];
  searchChats: number;
  searchUsers: number;
  searchRoom: number;
  searchQueries: number;
  searchRuns: number;
  searchSendPairs: number;
  searchPrefill: number;
  /** `--search --search-send-only`: only the send rate with indexing on and off. */
  searchSendOnly: boolean;
  outDir: string;
  /** Directory for V8 CPU profiles of the server processes (product and bare), or null. */
  cpuProfDir: string | null;
}

export const USAGE = `npm run bench -- [options]

Message load (default scenario; product, then the bare socket.io reference, same load):
  --clients N         authenticated clients (default 200)
  --room M            members per group chat (default 10)
  --rate R            offered messages per second, all clients together (default 500)
  --duration S        seconds of sending (default 10)
  --drain S           seconds to wait for outstanding deliveries (default 3)
  --body BYTES        message body size (default 100)
  --sweep             step the rate up (x --sweep-factor (1.5) from --sweep-start (250) to
                      --sweep-max, --sweep-duration (5) s each), on past a failure until two fail
                      in a row, then narrow down twice, to find the highest rate with p99 <
                      --p99-target (50) ms and nothing lost; every rate below it must pass too
                      (the report names those that did not). Writes bench/results/<timestamp>.json
                      and two SVG plots: p99 against offered rate, and CPU per delivery against rate
  --sweep-rates LIST  sweep exactly these rates (comma-separated), every one measured
  --warm-up S         seconds at the step's own rate before each measured window (default 5)
  --pin               server process(es) on core 0, load generator on core 1 (taskset)
  --pairs N           repeat N times, product and bare alternating; prints each pair's
                      product/bare ratios and their median (default 1)
  --no-bare           skip the bare socket.io reference
Every step (one rate, one server) starts a fresh server, store and load generator.
Product deployment:
  --redis             Redis adapter (starts its own redis-server on a free loopback port)
  --nodes N           N server processes on one store, with Redis (default 1); with N > 1 the
                      product runs twice, with the classic and the sharded Redis adapter, and the
                      report gives the CPU each process spends per delivered message
  --adapter A         with --nodes > 1: both (default), classic, sharded or auto
  --placement P       with --nodes > 1: room (default: all members of a room on one process,
                      rooms dealt round-robin), one (every client on the first process: the
                      others' CPU is what the fan-out costs them) or spread (clients dealt
                      round-robin)
  --mongo             MongoDB store: a fresh database chat_bench_<random> in MONGODB_URI (left
                      there afterwards), or a throw-away FerretDB when MONGODB_URI is unset.
                      Alone (no --sweep): the store's raw insert rates, then 1 process and 2
                      processes + Redis stepping the rate up (--sweep-start/-factor/-max/-duration)
                      until p99 >= 100 ms or anything is lost or refused; every step on a fresh
                      database and server(s) after --warm-up s at its rate, --pin and --placement
                      as for the message load, and a local FerretDB's own CPU reported
  --mongo-processes L with --mongo: the process counts to measure, comma-separated (1,2)
Extra scenarios (instead of the message load):
  --idle N            N idle authenticated sockets to one process; reports server RSS
  --history           seed --history-messages (1,000,000) messages into SQLite, time
                      --history-pages (1,000) chat:history pages over a socket
  --login-storm       --logins (200) concurrent logins at bcrypt cost --bcrypt-cost (12) while
                      messages flow at --login-rate (200) msg/s; reports message p99
  --login-storm --flood
                      one client floods bcrypt work (--flood-burst (200) registrations from one
                      address and as many password groups from one user, every second) while
                      --flood-logins (50) others log in from their own addresses, one every
                      300 ms; reports their login p99 (target < 1 s at --bcrypt-cost 12), with
                      the bcrypt rate limits on and lifted, --flood-repeat (3) fresh servers each
  --changes           the message load (--clients, --room, --rate, --duration, ...) without and
                      with edits and reactions added on top: 10 % of all operations react to a
                      recent message of the room, 2 % edit one of the client's own; the two
                      alternate --changes-pairs (3) times, each on a fresh server after a warm-up,
                      server and load generator on separate cores; reports deliveries/s, message
                      p99, server CPU per message and per operation, the with/without ratios
                      (target: message rate >= 95 %) and lost/duplicated message:changed
  --change-sync       seed a chat with --change-sync-changes (10,000) edits and reactions, then
                      page through sync from change position 0 to the end --change-sync-passes
                      (50) times over a socket; reports p50/p99 per page (target p99 < 50 ms)
  --store-appends     the SQLite store alone, no server: a process (on core 0 with --pin) appends
                      --rate msg/s through the storage port, each from the next of --clients users
                      into their room of --room, and reports its CPU per message (all threads) and
                      the time to disk, after --warm-up s, over --duration s, --pairs times on a
                      fresh store: the floor under the product's CPU per message
  --search            message search: seed --search-messages (1,000,000) messages over
                      --search-chats (1,000) chats of --search-room (10) members among --search-users
                      (200) users (50 chats each), in eight languages, through the storage
                      adapter's append; --search-runs (3) fresh servers each answer --search-queries
                      (200) searches of each kind (one word / three words + from:, common / rare
                      terms): p50 and p99 (targets p99 < 30 ms one word, < 60 ms three words);
                      the search index's share of the SQLite file (target <= 30 %); then the
                      message load (--clients, --room, --rate, --duration) with indexing on and
                      off, alternating --search-send-pairs (3) times over --search-prefill
                      (100,000) messages (target: send rate drop <= 10 %). With --mongo, only
                      the latency part, on MongoDB / FerretDB, over --search-mongo-messages (20,000);
                      with --search-send-only, only the send rate part
  --upload            uploads of 1 MB and 25 MB files, 1, 10 and 50 at once, then 10 pictures
                      of 4000×3000, while a member in a process of its own sends a message
                      every 20 ms; each step --pairs (3 here) times on a fresh server after a
                      warm-up; reports MB/s, the server's RSS growth and the message p99
                      (targets at 50 × 25 MB: RSS growth < 100 MiB, message p99 < 50 ms);
                      with --mongo, GridFS on MongoDB / FerretDB
  --out DIR           where results go (default bench/results)
  --cpu-prof DIR      write a V8 CPU profile of every server process (product and bare) into
                      DIR/product/<pid>.cpuprofile and DIR/bare/<pid>.cpuprofile when it stops;
                      open it in Chrome DevTools, or summarise it with
                      node --import tsx bench/cpu-profile-summary.ts <file>
`;

export function parseBenchOptions(argv: string[]): BenchOptions | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      clients: { type: 'string', default: '200' },
      room: { type: 'string', default: '10' },
      rate: { type: 'string', default: '500' },
      duration: { type: 'string', default: '10' },
      drain: { type: 'string', default: '3' },
      body: { type: 'string', default: '100' },
      redis: { type: 'boolean', default: false },
      mongo: { type: 'boolean', default: false },
      nodes: { type: 'string', default: '1' },
      'no-bare': { type: 'boolean', default: false },
      sweep: { type: 'boolean', default: false },
      'sweep-start': { type: 'string', default: '250' },
      'sweep-factor': { type: 'string', default: '1.5' },
      'sweep-max': { type: 'string', default: '20000' },
      'sweep-duration': { type: 'string', default: '5' },
      'sweep-rates': { type: 'string' },
      'warm-up': { type: 'string', default: '5' },
      pin: { type: 'boolean', default: false },
      pairs: { type: 'string', default: '1' },
      adapter: { type: 'string', default: 'both' },
      placement: { type: 'string', default: 'room' },
      'p99-target': { type: 'string', default: '50' },
      idle: { type: 'string' },
      history: { type: 'boolean', default: false },
      'history-messages': { type: 'string', default: '1000000' },
      'history-pages': { type: 'string', default: '1000' },
      'login-storm': { type: 'boolean', default: false },
      logins: { type: 'string', default: '200' },
      'login-rate': { type: 'string', default: '200' },
      'bcrypt-cost': { type: 'string', default: '12' },
      flood: { type: 'boolean', default: false },
      'flood-logins': { type: 'string', default: '50' },
      'flood-burst': { type: 'string', default: '200' },
      'flood-repeat': { type: 'string', default: '3' },
      changes: { type: 'boolean', default: false },
      'changes-pairs': { type: 'string', default: '3' },
      'change-sync': { type: 'boolean', default: false },
      'change-sync-changes': { type: 'string', default: '10000' },
      'change-sync-passes': { type: 'string', default: '50' },
      'store-appends': { type: 'boolean', default: false },
      search: { type: 'boolean', default: false },
      'search-messages': { type: 'string', default: '1000000' },
      'search-mongo-messages': { type: 'string', default: '20000' },
      'mongo-processes': { type: 'string', default: '1,2' },
      'search-chats': { type: 'string', default: '1000' },
      'search-users': { type: 'string', default: '200' },
      'search-room': { type: 'string', default: '10' },
      'search-queries': { type: 'string', default: '200' },
      'search-runs': { type: 'string', default: '3' },
      'search-send-pairs': { type: 'string', default: '3' },
      'search-prefill': { type: 'string', default: '100000' },
      'search-send-only': { type: 'boolean', default: false },
      out: { type: 'string', default: 'bench/results' },
      'cpu-prof': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return null;
  const number = (name: string, raw: string, min: number, max: number): number => {
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max) throw new Error(`--${name} must be a number from ${min} to ${max}`);
    return value;
  };
  const oneOf = <T extends string>(name: string, raw: string, allowed: readonly T[]): T => {
    if (!(allowed as readonly string[]).includes(raw)) throw new Error(`--${name} must be one of ${allowed.join(', ')}`);
    return raw as T;
  };
  return {
    clients: number('clients', values.clients, 2, 50_000),
    roomSize: number('room', values.room, 2, 500),
    rate: number('rate', values.rate, 1, 1_000_000),
    durationS: number('duration', values.duration, 1, 600),
    drainS: number('drain', values.drain, 0, 120),
    bodyBytes: number('body', values.body, 40, 4_000),
    redis: values.redis,
    mongo: values.mongo,
    nodes: number('nodes', values.nodes, 1, 16),
    bare: !values['no-bare'],
    sweep: values.sweep,
    sweepStart: number('sweep-start', values['sweep-start'], 1, 1_000_000),
    sweepFactor: number('sweep-factor', values['sweep-factor'], 1.05, 10),
    sweepMax: number('sweep-max', values['sweep-max'], 1, 1_000_000),
    sweepDurationS: number('sweep-duration', values['sweep-duration'], 1, 600),
    sweepRates: (values['sweep-rates'] ?? '')
      .split(',')
      .filter((rate) => rate.trim() !== '')
      .map((rate) => number('sweep-rates', rate, 1, 1_000_000)),
    warmUpS: number('warm-up', values['warm-up'], 0, 600),
    pin: values.pin,
    pairs: number('pairs', values.pairs, 1, 100),
    adapter: oneOf('adapter', values.adapter, ['both', 'classic', 'sharded', 'auto'] as const),
    placement: oneOf('placement', values.placement, ['room', 'one', 'spread'] as const),
    p99TargetMs: number('p99-target', values['p99-target'], 1, 60_000),
    idle: values.idle === undefined ? null : number('idle', values.idle, 1, 100_000),
    history: values.history,
    historyMessages: number('history-messages', values['history-messages'], 1_000, 50_000_000),
    historyPages: number('history-pages', values['history-pages'], 1, 1_000_000),
    loginStorm: values['login-storm'],
    logins: number('logins', values.logins, 1, 100_000),
    loginRate: number('login-rate', values['login-rate'], 1, 1_000_000),
    bcryptCost: number('bcrypt-cost', values['bcrypt-cost'], 4, 15),
    flood: values.flood,
    floodLogins: number('flood-logins', values['flood-logins'], 1, 10_000),
    floodBurst: number('flood-burst', values['flood-burst'], 1, 10_000),
    floodRepeat: number('flood-repeat', values['flood-repeat'], 1, 100),
    changes: values.changes,
    changesPairs: number('changes-pairs', values['changes-pairs'], 1, 100),
    changeSync: values['change-sync'],
    changeSyncChanges: number('change-sync-changes', values['change-sync-changes'], 1, 10_000_000),
    changeSyncPasses: number('change-sync-passes', values['change-sync-passes'], 1, 100_000),
    storeAppends: values['store-appends'],
    search: values.search,
    searchMessages: number('search-messages', values['search-messages'], 100, 50_000_000),
    searchMongoMessages: number('search-mongo-messages', values['search-mongo-messages'], 100, 50_000_000),
    mongoProcesses: values['mongo-processes'].split(',').map((count) => number('mongo-processes', count.trim(), 1, 2)),
    searchChats: number('search-chats', values['search-chats'], 1, 1_000_000),
    searchUsers: number('search-users', values['search-users'], 2, 1_000_000),
    searchRoom: number('search-room', values['search-room'], 2, 500),
    searchQueries: number('search-queries', values['search-queries'], 1, 100_000),
    searchRuns: number('search-runs', values['search-runs'], 1, 100),
    searchSendPairs: number('search-send-pairs', values['search-send-pairs'], 1, 100),
    searchPrefill: number('search-prefill', values['search-prefill'], 0, 50_000_000),
    searchSendOnly: values['search-send-only'],
    outDir: values.out,
    cpuProfDir: values['cpu-prof'] ?? null,
  };
}
