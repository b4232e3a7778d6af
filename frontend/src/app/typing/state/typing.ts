/** chatId → ids of the other members typing there now. */
export type Typing = Readonly<Record<string, readonly string[]>>;

/** Someone started or stopped typing in a chat. */
export function setTyping(typing: Typing, chatId: string, userId: string, on: boolean): Typing {
  const current = typing[chatId] ?? [];
  if (current.includes(userId) === on) return typing;
  return { ...typing, [chatId]: on ? [...current, userId] : current.filter((id) => id !== userId) };
}
