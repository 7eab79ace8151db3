import { readFile } from 'node:fs/promises';
import type { AuditProblemKind, AuditVerifyReport } from '../contract/audit.js';
import { listJournalFiles } from './files.js';
import type { Head } from './head-store.js';
import { GENESIS, hashLine, parseLine } from './line.js';

/** The keychain's head, or why it could not be read. */
export type HeadInput = { head: Head | null } | { unavailable: string };

interface Place {
  file: string;
  line: number;
}

/**
 * Reads every journal file in `dir` (no running Portcullis needed) and checks each line, the
 * seq and hash chain within and across files, and the head kept in the keychain. Stops at the
 * first thing wrong and says which file and line it is.
 */
export async function verifyJournal(dir: string, headInput: HeadInput): Promise<AuditVerifyReport> {
  const files = listJournalFiles(dir);
  const head = 'head' in headInput ? headInput.head : null;
  const report: AuditVerifyReport = {
    ok: true,
    dir,
    files: files.length,
    records: 0,
    firstSeq: null,
    lastSeq: null,
    head:
      'unavailable' in headInput
        ? { checked: false, why: headInput.unavailable }
        : head === null
          ? { checked: false, why: 'no head is stored in the keychain for this home yet' }
          : { checked: true, seq: head.seq },
    problem: null,
  };
  const fail = (kind: AuditProblemKind, place: Place, message: string): AuditVerifyReport => {
    report.ok = false;
    report.problem = { kind, file: place.file, line: place.line, message };
    return report;
  };

  let prevHash: string | null = null;
  let prevPlace: Place | null = null;
  let expected: number | null = null;
  let headPlace: (Place & { hash: string }) | null = null;

  for (const [index, file] of files.entries()) {
    const isLast = index === files.length - 1;
    let bytes = await readFile(file.path);
    // A running writer appends a batch with one write: a read that caught it midway sees it
    // whole a moment later. Only a line still cut short after that is torn.
    for (let look = 0; isLast && look < 5 && bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a; look++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      bytes = await readFile(file.path);
    }
    if (bytes.length === 0) {
      if (isLast) continue;
      return fail('file', { file: file.path, line: 1 }, 'this journal file is empty, but later files follow it: its lines were removed');
    }
    let start = 0;
    let lineNo = 0;
    while (start < bytes.length) {
      lineNo++;
      const place = { file: file.path, line: lineNo };
      const end = bytes.indexOf(0x0a, start);
      if (end === -1) {
        return isLast
          ? fail('torn', place, 'the last line is torn (cut short, most likely by a crash); the next start of Portcullis truncates it and records that it did')
          : fail('malformed', place, 'this file does not end with a complete line, but later files follow it');
      }
      const lineBytes = bytes.subarray(start, end);
      start = end + 1;
      const record = parseLine(lineBytes.toString('utf8'));
      if (!record) return fail('malformed', place, 'this line is not a journal record (not JSON, or seq, ts, action or prev missing)');
      if (lineNo === 1 && record.seq !== file.firstSeq) {
        return fail('file', place, `the file is named for seq ${file.firstSeq} but starts at seq ${record.seq}: it was renamed or its first lines were removed`);
      }
      if (expected === null) {
        // The oldest file may begin after files removed by retention; seq 1 must start from nothing.
        if (record.seq === 1 && record.prev !== GENESIS) return fail('chain', place, 'the first record must have the all-zero prev, but it does not: the journal was rewritten');
        if (record.seq < 1) return fail('seq', place, `seq ${record.seq} is not a valid sequence number`);
      } else {
        if (record.seq !== expected) {
          return fail('seq', place, `seq ${record.seq} where ${expected} was expected: lines were removed, added or reordered here`);
        }
        if (record.prev !== prevHash) {
          return fail(
            'altered',
            prevPlace ?? place,
            `this line (seq ${expected - 1}) was changed: its bytes no longer match the prev stored in the line after it`,
          );
        }
      }
      const hash = hashLine(lineBytes);
      if (head && record.seq === head.seq) headPlace = { ...place, hash };
      report.records++;
      report.firstSeq ??= record.seq;
      report.lastSeq = record.seq;
      prevHash = hash;
      prevPlace = place;
      expected = record.seq + 1;
    }
  }

  if (head) {
    const end = prevPlace ?? { file: dir, line: 0 };
    if (head.seq < 0) return fail('head', end, 'the head stored in the keychain is unreadable: it was overwritten by something other than Portcullis');
    if (report.lastSeq === null || head.seq > report.lastSeq) {
      return fail('head', end, `the keychain head is at seq ${head.seq} but the journal ends at seq ${report.lastSeq ?? 0}: records were removed from the end`);
    }
    if (!headPlace) {
      return fail('head', end, `the keychain head is at seq ${head.seq}, which is no longer in the journal: the files holding it were removed`);
    }
    if (headPlace.hash !== head.hash) {
      return fail('head', headPlace, `this line (seq ${head.seq}) does not match the head hash kept in the keychain: the journal was rewritten`);
    }
  }
  return report;
}
