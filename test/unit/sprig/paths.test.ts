import { table } from './render';

describe('sprig paths and URLs', () => {
  describe('Go\'s path package', () => table([
    ['{{ base "a/b/c.yaml" }}|{{ base "/" }}|{{ base "" }}|{{ base "a/b/" }}', 'c.yaml|/|.|b'],
    ['{{ dir "a/b/c.yaml" }}|{{ dir "c" }}|{{ dir "/c" }}', 'a/b|.|/'],
    ['{{ clean "a//b/./../c/" }}|{{ clean "../../x" }}|{{ clean "/../x" }}|{{ clean "" }}', 'a/c|../../x|/x|.'],
    ['{{ ext "a/b.tar.gz" }}|{{ ext "a.b/c" }}', '.gz|'],
    ['{{ isAbs "/a" }}|{{ osIsAbs "a" }}', 'true|false'],
  ]));

  describe('URLs', () => table([
    ['{{ $u := urlParse "https://user:pw@example.com:8443/a%20b?x=1#top" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.fragment }}|{{ $u.userinfo }}', 'https|example.com:8443|example.com|/a b|x=1|top|user:pw'],
    ['{{ urlJoin (dict "scheme" "https" "host" "example.com" "path" "/a" "query" "x=1") }}', 'https://example.com/a?x=1'],
    ['{{ (urlParse "mailto:someone@example.com").opaque }}', 'someone@example.com'],
  ]));
});
