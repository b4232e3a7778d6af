/**
 * Passwords that appear at the top of every breach list. Any password containing one of
 * these as its whole (case-insensitive) is refused, whatever its length.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '1234567890', '12345678910', '0123456789', '1111111111', '0000000000', '1234512345',
  '123456789a', 'a123456789', 'qwertyuiop', 'qwertyuiop1', '1q2w3e4r5t', '1q2w3e4r5t6y',
  'q1w2e3r4t5', 'q1w2e3r4t5y6', 'password12', 'password123', 'password1234', 'passw0rd123',
  'iloveyou12', 'iloveyou123', 'abcdefghij', 'abcdefghijk', 'abc1234567', 'abcd123456',
  'qazwsxedcrfv', '1qaz2wsx3edc', 'zaq12wsxcde3', 'asdfghjkl1', 'asdfghjkl;', 'zxcvbnm123',
  'letmein123', 'welcome123', 'welcome1234', 'football123', 'baseball123', 'sunshine123',
  'princess123', 'dragon1234', 'monkey1234', 'starwars123', 'superman123', 'michael123',
  'trustno1234', 'changeme123', 'administrator', 'admin12345', 'adminadmin', 'rootroot12',
  'passwordpassword', 'qwerty123456', 'qwerty12345', '123qweasdzxc', 'football1', 'liverpool1',
  'chocolate1', 'whatever123', 'computer123', 'internet123', 'secret1234', 'mypassword',
  'mypassword1', 'mypassword123', 'p@ssw0rd123', 'pa55word123', 'elephant12', 'unbelievable',
]);
