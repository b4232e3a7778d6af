import type { Connection, Model } from 'mongoose';
import { attachmentClaimModel, type AttachmentClaimDoc } from './attachment-claim-model.js';
import { attachmentModel, type AttachmentDoc } from './attachment-model.js';
import { auditModel, type AuditDoc } from './audit-model.js';
import { blockModel, type BlockDoc } from './block-model.js';
import { chatModel, type ChatDoc } from './chat-model.js';
import { membershipModel, type MembershipDoc } from './membership-model.js';
import { mentionModel, type MentionDoc } from './mention-model.js';
import { messageChangeModel, type MessageChangeDoc } from './message-change-model.js';
import { messageModel, type MessageDoc } from './message-model.js';
import { reactionModel, type ReactionDoc } from './reaction-model.js';
import { refreshTokenModel, type RefreshTokenDoc } from './refresh-token-model.js';
import { refreshTokenUseModel, type RefreshTokenUseDoc } from './refresh-token-use-model.js';
import { searchMarkModel, type SearchMarkDoc } from './search-mark-model.js';
import { searchPostingModel, type SearchPostingDoc } from './search-posting-model.js';
import { userModel, type UserDoc } from './user-model.js';
import { leaseModel, type LeaseDoc } from './lease-model.js';
import { webhookEventModel, type WebhookEventDoc } from './webhook-event-model.js';
import { webhookModel, type WebhookDoc } from './webhook-model.js';
import { webhookIntentModel, type WebhookIntentDoc } from './webhook-intent-model.js';

/** Every model, bound to one connection. */
export interface MongoModels {
  users: Model<UserDoc>;
  chats: Model<ChatDoc>;
  memberships: Model<MembershipDoc>;
  messages: Model<MessageDoc>;
  messageChanges: Model<MessageChangeDoc>;
  reactions: Model<ReactionDoc>;
  mentions: Model<MentionDoc>;
  blocks: Model<BlockDoc>;
  refreshTokens: Model<RefreshTokenDoc>;
  refreshTokenUses: Model<RefreshTokenUseDoc>;
  audit: Model<AuditDoc>;
  searchPostings: Model<SearchPostingDoc>;
  searchMarks: Model<SearchMarkDoc>;
  webhookEvents: Model<WebhookEventDoc>;
  webhooks: Model<WebhookDoc>;
  leases: Model<LeaseDoc>;
  webhookIntents: Model<WebhookIntentDoc>;
  attachments: Model<AttachmentDoc>;
  attachmentClaims: Model<AttachmentClaimDoc>;
}

export function registerModels(connection: Connection): MongoModels {
  return {
    users: userModel(connection),
    chats: chatModel(connection),
    memberships: membershipModel(connection),
    messages: messageModel(connection),
    messageChanges: messageChangeModel(connection),
    reactions: reactionModel(connection),
    mentions: mentionModel(connection),
    blocks: blockModel(connection),
    refreshTokens: refreshTokenModel(connection),
    refreshTokenUses: refreshTokenUseModel(connection),
    audit: auditModel(connection),
    searchPostings: searchPostingModel(connection),
    searchMarks: searchMarkModel(connection),
    webhookEvents: webhookEventModel(connection),
    webhooks: webhookModel(connection),
    leases: leaseModel(connection),
    webhookIntents: webhookIntentModel(connection),
    attachments: attachmentModel(connection),
    attachmentClaims: attachmentClaimModel(connection),
  };
}
