import {
  chatEnvelopeSchema,
  chatRefSchema,
  createGroupSchema,
  joinGroupSchema,
  openedChatSchema,
  roomSearchResultSchema,
  searchGroupsSchema,
  updateGroupSchema,
} from '../../../shared/src/schemas/chats.js';
import { createGroup } from '../chats/create-group.js';
import { joinGroup } from '../chats/join-group.js';
import { leaveGroup } from '../chats/leave-group.js';
import { searchGroups } from '../chats/search-groups.js';
import { updateGroup } from '../chats/update-group.js';
import { operation } from './operation.js';

/** Groups and public rooms: `group:*` events and /api/groups. Group passwords are the acting user's bcrypt work. */
export const groupOperations = [
  operation({
    name: 'createGroup',
    access: 'user',
    limits: ['write', 'password-work'],
    input: createGroupSchema,
    output: chatEnvelopeSchema,
    event: 'group:create',
    rest: {
      method: 'post',
      path: '/api/groups',
      input: { from: 'body', required: true },
      success: { 201: 'The new group' },
      errors: [404, 422],
      tag: 'groups',
      summary: 'Create a private group, or a public room (optionally with a password)',
      description:
        'visibility "private" (the default): only the people in memberIds and those an admin adds later can see it; search never lists it ' +
        'and nobody else can join it. visibility "public": a room that search lists and anyone signed in can join (with its password, ' +
        'when it has one) and then read its whole history. A password is refused (400, fields.password) unless visibility is "public".',
    },
    run: createGroup,
  }),
  operation({
    name: 'searchGroups',
    access: 'user',
    input: searchGroupsSchema,
    output: roomSearchResultSchema,
    event: 'group:search',
    rest: {
      method: 'get',
      path: '/api/groups',
      // No `query` parameter lists every group, as an empty search does.
      input: { from: 'query', defaults: { query: '' } },
      success: { 200: 'Matching groups' },
      errors: [400],
      tag: 'groups',
      summary: 'Search public rooms by name (no query: all); private groups are never listed',
    },
    run: searchGroups,
  }),
  operation({
    name: 'updateGroup',
    access: 'user',
    rule: 'group admin',
    limits: ['write', 'password-work'],
    input: updateGroupSchema,
    output: chatEnvelopeSchema,
    event: 'group:update',
    rest: {
      method: 'patch',
      path: '/api/groups/:id',
      input: { from: 'body', path: { chatId: 'id' }, required: true },
      success: { 200: 'The group after the change' },
      errors: [404, 409, 422],
      tag: 'groups',
      summary: 'Rename, switch visibility, set or remove the password, add, remove, promote or demote members (group admins)',
      description:
        'visibility switches the group between private and public; each switch is announced in the timeline (made_public / made_private). ' +
        'Only a public group can have a password: setting one on a private group, or making a group with a password private without ' +
        'password: null in the same request, is refused (400).',
    },
    run: updateGroup,
  }),
  operation({
    name: 'joinGroup',
    access: 'user',
    rule: 'public room',
    limits: ['write', 'password-work', 'room-password'],
    input: joinGroupSchema,
    output: openedChatSchema,
    event: 'group:join',
    rest: {
      method: 'post',
      path: '/api/groups/:id/join',
      input: { from: 'body', path: { chatId: 'id' }, required: false },
      success: { 200: 'The group and its newest messages' },
      errors: [404, 409, 422, 429],
      tag: 'groups',
      summary: 'Join a public room (with its password when it has one)',
      description:
        'A private group cannot be joined: an outsider gets exactly the 404 of a chat that does not exist, whatever password is sent. ' +
        'Members are added to a private group by its admins (PATCH /api/groups/{id}, addMemberIds).',
    },
    run: joinGroup,
  }),
  operation({
    name: 'leaveGroup',
    access: 'user',
    rule: 'member',
    limits: ['write'],
    input: chatRefSchema,
    event: 'group:leave',
    rest: {
      method: 'post',
      path: '/api/groups/:id/leave',
      input: { from: 'body', path: { chatId: 'id' }, required: false },
      success: { 204: 'Left' },
      errors: [404, 409],
      tag: 'groups',
      summary: 'Leave a group',
    },
    run: leaveGroup,
  }),
];
