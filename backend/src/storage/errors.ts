/** Typed errors every storage adapter throws instead of driver errors. */
export class StorageError extends Error {}

export class NotFoundError extends StorageError {
  constructor(readonly entity: string, readonly key: string) {
    super(`${entity} not found`);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends StorageError {
  /** `field` names what collided: `username`, `clientId`, `externalId`, `member`. */
  constructor(readonly field: string, message = `${field} already exists`) {
    super(message);
    this.name = 'ConflictError';
  }
}

export class InvalidInputError extends StorageError {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidInputError';
  }
}

/** The store cannot be reached (network, disk). The operation had no effect, or its effect is unknown. */
export class StoreUnavailableError extends StorageError {
  constructor(cause?: unknown) {
    super('the store is unavailable', { cause });
    this.name = 'StoreUnavailableError';
  }
}
