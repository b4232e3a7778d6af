import { emptySchema } from '../../../shared/src/schemas/chats.js';
import { typingSchema } from '../../../shared/src/schemas/presence.js';
import { userListSchema } from '../../../shared/src/schemas/users.js';
import { listUsers } from '../presence/list-users.js';
import { setTyping } from '../presence/set-typing.js';
import { operation } from './operation.js';

/** Who is online and who is typing: socket events only. */
export const presenceOperations = [
  operation({
    name: 'listUsers',
    access: 'user',
    input: emptySchema,
    output: userListSchema,
    event: 'users:list',
    run: listUsers,
  }),
  operation({
    name: 'setTyping',
    access: 'user',
    rule: 'member',
    input: typingSchema,
    event: 'chat:typing',
    ackOptional: true,
    run: setTyping,
  }),
];
