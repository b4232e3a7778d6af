import { z } from 'zod';
import { idSchema } from './common.js';

export const typingSchema = z.strictObject({ chatId: idSchema, typing: z.boolean() });
export type TypingRequest = z.infer<typeof typingSchema>;

export const userRefSchema = z.strictObject({ userId: idSchema });
export type UserRef = z.infer<typeof userRefSchema>;

export const authenticationSchema = z.strictObject({ token: z.string().min(1).max(4096) });
export type AuthenticationRequest = z.infer<typeof authenticationSchema>;

/** `presence`: a user came online or went offline. */
export const presenceEventSchema = z.strictObject({ userId: z.string(), online: z.boolean() });
export type PresenceEvent = z.output<typeof presenceEventSchema>;

/** `chat:typing` as the server relays it to the chat's other members. */
export const typingEventSchema = z.strictObject({ chatId: z.string(), userId: z.string(), typing: z.boolean() });
export type TypingEvent = z.output<typeof typingEventSchema>;
