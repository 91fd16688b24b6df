import { describe, expect, it } from 'vitest';
import { headingOf, publishedOf, wasEdited } from '~/utils/format';

describe('what a post is called', () => {
  it('is its title, with the excerpt after it', () => {
    expect(headingOf({ title: 'On tea', excerpt: 'Steep it longer.' })).toEqual({
      heading: 'On tea',
      rest: 'Steep it longer.',
    });
  });

  it('for a post from before titles, is the excerpt cut at a word, and the rest follows', () => {
    const excerpt = `${'word '.repeat(20)}and the end`;
    const { heading, rest } = headingOf({ title: null, excerpt });
    expect(heading.endsWith('word…')).toBe(true);
    expect(Array.from(heading).length).toBeLessThanOrEqual(81);
    expect(rest.startsWith('…word')).toBe(true);
    expect(rest.endsWith('and the end')).toBe(true);
    expect(headingOf({ title: null, excerpt: '  ' }).heading).toBe('Untitled post');
  });
});

describe('dates', () => {
  it('a draft published later is dated by its publication, and is not "edited" by it', () => {
    const post = {
      createdAt: '2026-11-20T09:00:00.000Z',
      publishedAt: '2026-11-23T09:30:00.000Z',
      updatedAt: '2026-11-23T09:30:00.400Z',
    };
    expect(publishedOf(post)).toBe(post.publishedAt);
    expect(wasEdited(post)).toBe(false);
    expect(wasEdited({ ...post, updatedAt: '2026-11-24T10:00:00.000Z' })).toBe(true);
    expect(publishedOf({ createdAt: post.createdAt, publishedAt: null })).toBe(post.createdAt);
  });
});
