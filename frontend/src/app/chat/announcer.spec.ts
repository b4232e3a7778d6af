import { TestBed } from '@angular/core/testing';
import { Announcer } from './announcer';

describe('Announcer', () => {
  it('is one service for the whole app, whose text is the latest announcement', () => {
    const announcer = TestBed.inject(Announcer);
    expect(TestBed.inject(Announcer)).toBe(announcer);
    expect(announcer.text()).toBe('');
    announcer.announce('  Bruno: hi ');
    expect(announcer.text()).toBe('Bruno: hi');
    announcer.announce('   ');
    expect(announcer.text()).toBe('Bruno: hi');
  });

  it('changes its text when the same words come again, so they are read again', () => {
    const announcer = TestBed.inject(Announcer);
    announcer.announce('Bruno is typing…');
    const first = announcer.text();
    announcer.announce('Bruno is typing…');
    expect(announcer.text()).not.toBe(first);
    expect(announcer.text().trim()).toBe('Bruno is typing…');
  });
});
