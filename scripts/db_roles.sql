-- The two database roles of Erfaringsforum (least privilege, issue 13).
--
--   {owner}  owns the database and every table, function and search configuration in it;
--            runs `manage.py migrate`. Not a superuser; CREATEDB only so that the test
--            suite can create its test databases.
--   {app}    what the web server, the worker and the management commands that only write
--            data connect as: SELECT, INSERT, UPDATE, DELETE on the tables and the use of
--            their sequences, nothing else: no TRUNCATE, no DDL, no superuser (so no
--            session_replication_role, no ALTER TABLE ... DISABLE TRIGGER), no CREATEROLE.
--
-- scripts/ensure_db.py applies this file as a superuser (`make run`, `make test`), with the
-- placeholders filled in as quoted identifiers. By hand, as a superuser:
--   replace {owner}, {app} and {db}, run the part above the "in the database" line connected to any
--   database, then the rest connected to {db}; give both roles a password in production:
--   ALTER ROLE ... PASSWORD '...'.

DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{owner_literal}') THEN
    CREATE ROLE {owner} LOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{app_literal}') THEN
    CREATE ROLE {app} LOGIN;
  END IF;
END $$;
ALTER ROLE {owner} LOGIN NOSUPERUSER CREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
ALTER ROLE {app} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
ALTER DATABASE {db} OWNER TO {owner};

-- ==== in the database ====
-- Objects made before the roles existed (by a superuser) pass to the owner.
DO $$
DECLARE object record;
BEGIN
  FOR object IN
    SELECT format('ALTER %s %I.%I OWNER TO {owner}',
                  CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                                 WHEN 'm' THEN 'MATERIALIZED VIEW'
                                 WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
                  n.nspname, c.relname) AS statement
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
       AND c.relowner <> '{owner_literal}'::regrole
       AND NOT (c.relkind = 'S' AND EXISTS (  -- an owned sequence follows its table
             SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
    UNION ALL
    SELECT format('ALTER ROUTINE %s OWNER TO {owner}', p.oid::regprocedure)
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = 'public' AND p.proowner <> '{owner_literal}'::regrole
       AND NOT EXISTS (SELECT 1 FROM pg_depend d  -- an extension's functions stay its own
                        WHERE d.objid = p.oid AND d.deptype = 'e')
    UNION ALL
    SELECT format('ALTER TEXT SEARCH CONFIGURATION %I.%I OWNER TO {owner}', n.nspname, t.cfgname)
      FROM pg_ts_config t JOIN pg_namespace n ON n.oid = t.cfgnamespace
     WHERE n.nspname = 'public' AND t.cfgowner <> '{owner_literal}'::regrole
    UNION ALL
    SELECT format('ALTER TEXT SEARCH DICTIONARY %I.%I OWNER TO {owner}', n.nspname, d.dictname)
      FROM pg_ts_dict d JOIN pg_namespace n ON n.oid = d.dictnamespace
     WHERE n.nspname = 'public' AND d.dictowner <> '{owner_literal}'::regrole
  LOOP
    EXECUTE object.statement;
  END LOOP;
END $$;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO {app};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app};
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {app};
-- What migrations make later gets the same grants.
ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app};
ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public
  GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {app};
