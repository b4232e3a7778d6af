import { randomFillSync } from 'node:crypto';

/** Crockford's base 32, as ULIDs spell it. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_LENGTH = 10;
const RANDOM_LENGTH = 16;
const MAX_TIME = 2 ** 48 - 1;

/**
 * Random bytes are drawn from the operating system a pool at a time: one system call per 256
 * new milliseconds instead of one per random character.
 */
const pool = Buffer.alloc(RANDOM_LENGTH * 256);
let poolOffset = pool.length;

let lastTime = -1;
let timePrefix = '';
/** The random part of the last id, one base-32 digit (0..31) per character. */
const lastRandom = new Uint8Array(RANDOM_LENGTH);

/**
 * A new ULID: unique, and sorted by creation time within a process (monotonic: ids made in the
 * same millisecond, or while the clock stands still or steps back, count up from the last one
 * instead of drawing new randomness — the ULID spec's monotonic mode).
 */
export function newId(): string {
  const now = Date.now();
  if (now > lastTime) {
    if (now > MAX_TIME) throw new RangeError('The clock is past the last time a ULID can hold');
    lastTime = now;
    timePrefix = encodeTime(now);
    drawRandom();
  } else {
    increment();
  }
  let random = '';
  for (let index = 0; index < RANDOM_LENGTH; index += 1) random += ALPHABET[lastRandom[index]!]!;
  return timePrefix + random;
}

function encodeTime(time: number): string {
  let encoded = '';
  for (let index = 0; index < TIME_LENGTH; index += 1) {
    const digit = time % 32;
    encoded = ALPHABET[digit]! + encoded;
    time = (time - digit) / 32;
  }
  return encoded;
}

function drawRandom(): void {
  if (poolOffset + RANDOM_LENGTH > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  // 256 is a multiple of 32, so the low five bits of a uniform byte are a uniform digit.
  for (let index = 0; index < RANDOM_LENGTH; index += 1) lastRandom[index] = pool[poolOffset + index]! & 31;
  poolOffset += RANDOM_LENGTH;
}

/** Adds one to the random part; 80 bits do not run out within one millisecond. */
function increment(): void {
  for (let index = RANDOM_LENGTH - 1; index >= 0; index -= 1) {
    if (lastRandom[index]! < 31) {
      lastRandom[index] = lastRandom[index]! + 1;
      return;
    }
    lastRandom[index] = 0;
  }
  // All 80 bits were ones: move on to the next millisecond rather than repeat an id.
  lastTime += 1;
  timePrefix = encodeTime(lastTime);
  drawRandom();
}
