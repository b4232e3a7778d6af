import { mentionedIds } from '@shared/mention-tokens';
import { toReadable, toTokens, type Mentionable } from './mention-text';

describe('mention text', () => {
  const ana: Mentionable = { id: '01HZZZZZZZZZZZZZZZZZZZZAN1', name: 'Ana Lima', username: 'ana' };
  const anabel: Mentionable = { id: '01HZZZZZZZZZZZZZZZZZZZZAN2', name: 'Ana Belle', username: 'anabel' };
  const bruno: Mentionable = { id: '01HZZZZZZZZZZZZZZZZZZZZBR1', name: 'Bruno Costa', username: 'bruno_c' };
  const people = [ana, anabel, bruno];
  const nameOf = (id: string) => people.find((p) => p.id === id)?.name;

  it('turns @Name and @username into tokens, whole words only, the longest name first', () => {
    expect(toTokens('hi @Ana Lima and @bruno_c!', people)).toBe(`hi <@${ana.id}> and <@${bruno.id}>!`);
    expect(toTokens('@ana belle, look', people)).toBe(`<@${anabel.id}>, look`);
    expect(toTokens('@anabel', people)).toBe(`<@${anabel.id}>`);
    expect(toTokens('(@Bruno Costa)', people)).toBe(`(<@${bruno.id}>)`);
  });

  it('leaves an @ that names nobody, an address and a longer word as written', () => {
    expect(toTokens('mail ana@example.com', people)).toBe('mail ana@example.com');
    expect(toTokens('@Anakin is here', people)).toBe('@Anakin is here');
    expect(toTokens('@ @@ @Zed', people)).toBe('@ @@ @Zed');
    expect(toTokens('no mentions', people)).toBe('no mentions');
  });

  it('shows tokens as @ and the current name, and round-trips through the composer', () => {
    const body = `<@${bruno.id}> and <@${ana.id}>: ready?`;
    const readable = toReadable(body, nameOf);
    expect(readable).toBe('@Bruno Costa and @Ana Lima: ready?');
    expect(toTokens(readable, people)).toBe(body);
    expect(mentionedIds(toTokens(readable, people))).toEqual([bruno.id, ana.id]);
  });

  it('keeps the token of someone it cannot name, so saving an edit keeps the mention', () => {
    const unknown = '01HZZZZZZZZZZZZZZZZZZZZXNK';
    expect(toReadable(`<@${unknown}> hi`, nameOf)).toBe(`<@${unknown}> hi`);
    expect(toTokens(`<@${unknown}> hi`, people)).toBe(`<@${unknown}> hi`);
  });

  it('follows a rename: the same token reads with the new name', () => {
    const renamed = (id: string) => (id === ana.id ? 'Ana Souza' : nameOf(id));
    expect(toReadable(`<@${ana.id}>`, renamed)).toBe('@Ana Souza');
  });
});
