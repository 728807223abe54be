import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '#main/history/database.ts'
import {
  LATEST_VERSION,
  migrate,
  MIGRATIONS,
  NewerSchemaError,
  addTraining,
  schemaVersion,
  type Migration
} from '#main/history/migrations.ts'
import { testDir } from './fixtures/dirs.ts'

const open: DatabaseSync[] = []
afterEach(() => {
  for (const db of open.splice(0)) if (db.isOpen) db.close()
})

function db(path: string): DatabaseSync {
  const d = new DatabaseSync(path)
  open.push(d)
  return d
}

/** The schema as SQLite stores it: every table and index with its SQL. */
function schema(d: DatabaseSync): string[] {
  return (
    d.prepare("SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all() as {
      type: string
      name: string
      sql: string
    }[]
  ).map((r) => `${r.type} ${r.name}: ${r.sql}`)
}

describe('history schema migrations', () => {
  it('are numbered 1, 2, ... without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(Array.from({ length: LATEST_VERSION }, (_, i) => i + 1))
    expect(() => migrate(db(':memory:'), [{ version: 2, description: 'gap', up: () => undefined }])).toThrow(
      /expected 1/
    )
  })

  it('build the latest schema from an empty database', () => {
    const dir = testDir()
    const d = db(join(dir, 'empty.sqlite'))
    expect(migrate(d)).toEqual({ from: 0, to: LATEST_VERSION })
    expect(schemaVersion(d)).toBe(LATEST_VERSION)
    const names = schema(d).map((s) => s.split(':')[0])
    expect(names).toEqual(
      expect.arrayContaining([
        'table reference_images',
        'table attempts',
        'table journal',
        'index attempts_live_by_start'
      ])
    )
    expect(migrate(d)).toEqual({ from: LATEST_VERSION, to: LATEST_VERSION })
  })

  // Every earlier version: a database left at version k must end up with exactly the schema a
  // fresh one gets. (Version 0 is the empty database; each new migration adds a case here.)
  for (let k = 0; k < LATEST_VERSION; k++) {
    it(`bring a version ${k} database to the latest schema`, () => {
      const dir = testDir()
      const old = db(join(dir, `v${k}.sqlite`))
      migrate(old, MIGRATIONS.slice(0, k))
      expect(schemaVersion(old)).toBe(k)
      expect(migrate(old)).toEqual({ from: k, to: LATEST_VERSION })
      const fresh = db(join(dir, `fresh${k}.sqlite`))
      migrate(fresh)
      expect(schema(old)).toEqual(schema(fresh))
    })
  }

  // Training is step 4, after main's v2 (robust history) and v3 (construction layer).
  it('widen the reference sources for drills keeping every row, reference, index and trigger (version 4)', () => {
    const dir = testDir()
    const d = db(join(dir, 'v3.sqlite'))
    d.exec('PRAGMA foreign_keys = ON')
    expect(MIGRATIONS[3]).toMatchObject({ version: 4, up: addTraining })
    migrate(d, MIGRATIONS.slice(0, 3))
    d.exec(`INSERT INTO reference_images VALUES ('bundled:cube', 'Cube', 'bundled', 10, 10, '{}', 1, 1)`)
    d.exec(`INSERT INTO attempts (id, reference_id, started_at) VALUES ('a1', 'bundled:cube', 5)`)
    // What a step before this one may have added to the table comes through too.
    d.exec('CREATE INDEX reference_images_by_name ON reference_images (name)')
    d.exec('CREATE TABLE changes (n INTEGER); INSERT INTO changes VALUES (0)')
    d.exec(
      'CREATE TRIGGER reference_images_counted AFTER INSERT ON reference_images BEGIN UPDATE changes SET n = n + 1; END'
    )
    expect(() =>
      d.exec(`INSERT INTO reference_images VALUES ('drill:box:1', 'Box', 'drill', 10, 10, '{}', 1, 1)`)
    ).toThrow(/CHECK/)
    expect(migrate(d)).toEqual({ from: 3, to: LATEST_VERSION })
    d.exec(`INSERT INTO reference_images VALUES ('drill:box:1', 'Box', 'drill', 10, 10, '{}', 1, 1)`)
    expect(d.prepare('SELECT n FROM changes').get()).toEqual({ n: 1 })
    expect(
      d
        .prepare('SELECT id, source FROM reference_images ORDER BY id')
        .all()
        .map((r) => ({ ...r }))
    ).toEqual([
      { id: 'bundled:cube', source: 'bundled' },
      { id: 'drill:box:1', source: 'drill' }
    ])
    expect(schema(d).some((s) => s.startsWith('index reference_images_by_name'))).toBe(true)
    expect(d.prepare('PRAGMA foreign_keys').get()).toEqual({ foreign_keys: 1 })
    expect(() => d.exec(`INSERT INTO attempts (id, reference_id, started_at) VALUES ('a2', 'nope', 5)`)).toThrow(
      /FOREIGN KEY/
    )
    expect(() => d.exec(`INSERT INTO reference_images VALUES ('x', 'X', 'other', 1, 1, '{}', 1, 1)`)).toThrow(/CHECK/)
    expect(() => d.exec("DELETE FROM reference_images WHERE id = 'bundled:cube'")).toThrow(/FOREIGN KEY/)
  })

  it('roll a failing step back completely, keeping the version before it', () => {
    const dir = testDir()
    const d = db(join(dir, 'fail.sqlite'))
    const failing: Migration[] = [
      ...MIGRATIONS,
      {
        version: LATEST_VERSION + 1,
        description: 'half done, then fails',
        up: (x) => {
          x.exec('CREATE TABLE half_done (a INTEGER)')
          throw new Error('disk hiccup')
        }
      }
    ]
    expect(() => migrate(d, failing)).toThrow('disk hiccup')
    expect(schemaVersion(d)).toBe(LATEST_VERSION)
    expect(schema(d).some((s) => s.includes('half_done'))).toBe(false)
    expect(d.isTransaction).toBe(false)
  })

  it('refuse a database from a newer version and leave it untouched', () => {
    const dir = testDir()
    const path = join(dir, 'history.sqlite')
    const d = db(path)
    d.exec(`PRAGMA user_version = ${LATEST_VERSION + 3}`)
    expect(() => migrate(d)).toThrow(NewerSchemaError)
    d.close()
    expect(() => openDatabase(dir)).toThrow(
      expect.objectContaining({
        code: 'storage',
        message: expect.stringContaining(
          `newer Sightline Studio (schema version ${LATEST_VERSION + 3}; this version knows up to ${LATEST_VERSION})`
        )
      })
    )
    const again = db(path)
    expect(schemaVersion(again)).toBe(LATEST_VERSION + 3)
  })
})
