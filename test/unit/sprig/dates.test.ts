import * as assert from 'node:assert/strict';
import { render, table } from './render';

// The clock of these tests says 2019-06-13 20:39:39 UTC, and its Local zone is UTC.
describe('sprig dates and durations', () => {
  describe('formatting with Go layouts', () => table([
    ['{{ now | date "2006-01-02T15:04:05Z07:00" }}', '2019-06-13T20:39:39Z'],
    ['{{ now | date "Mon Jan _2 3:04PM" }}', 'Thu Jun 13 8:39PM'],
    ['{{ now | htmlDate }}', '2019-06-13'],
    ['{{ dateInZone "2006-01-02 15:04 MST" (now) "America/New_York" }}', '2019-06-13 16:39 EDT'],
    ['{{ dateInZone "Jan 2 15:04 -0700" (now) "Asia/Kolkata" }}', 'Jun 14 02:09 +0530'],
    ['{{ dateInZone "15:04 -07:00" (now) "No/Such_Zone" }}', '20:39 +00:00'],
    ['{{ date "2006" 0 }}', '1970'],
    ['{{ now | unixEpoch }}', '1560458379'],
    ['{{ toDate "2006-01-02 15:04" "2020-02-29 23:59" | date "Jan 2, 2006 at 15:04" }}', 'Feb 29, 2020 at 23:59'],
    ['{{ toDate "2006-01-02" "nope" | date "2006-01-02" }}', '0001-01-01'],
    ['{{ now | dateModify "-1h30m" | date "15:04" }}', '19:09'],
    ['{{ ago (toDate "2006-01-02" "2019-06-13") }}', '20h39m39s'],
  ]));

  describe('durations', () => table([
    ['{{ duration "90" }}|{{ duration 3661 }}', '1m30s|1h1m1s'],
    ['{{ durationRound "49h" }}|{{ durationRound "-3m10s" }}|{{ durationRound "0.5s" }}', '2d|3m|0s'],
  ]));

  it('mustToDate gives the parse error', () => {
    assert.throws(() => render('{{ mustToDate "2006-01-02" "13/06/2019" }}'), /error calling mustToDate: parsing time "13\/06\/2019"/);
  });
});
