import type { Person } from './browser-user.js';

/** The people of the e2e scenario: A and B sign up through the form, C over the API. */
export const alice: Person = {
  username: 'alice.m',
  firstName: 'Alice',
  lastName: 'Martin',
  email: 'alice@example.test',
  gender: 'female',
  password: 'Lantern-Orchard-58',
};
export const bruno: Person = {
  username: 'bruno_c',
  firstName: 'Bruno',
  lastName: 'Costa',
  email: 'bruno@example.test',
  gender: 'male',
  password: 'Copper-Meadow-3141',
};
/** A third person, signed up over the API: A sees her offline until she signs in (step 3b) as an outsider. */
export const carmen: Person = {
  username: 'carmen',
  firstName: 'Carmen',
  lastName: 'Ruiz',
  email: 'carmen@example.test',
  gender: 'nonbinary',
  password: 'Harbour-Violet-2718',
};

export const fullName = (person: Person) => `${person.firstName} ${person.lastName}`;
