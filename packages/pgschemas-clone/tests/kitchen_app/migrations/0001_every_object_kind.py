"""Every object kind pgschemas.clone copies, created the way a migration would (RunSQL).

Names are unqualified: RunSQL runs with the tenant's search path, so everything lands in
the schema being migrated, and references to ``public`` are written out explicitly.
"""

from django.db import migrations

FORWARD = r"""
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN positive_int AS integer NOT NULL DEFAULT 1
    CONSTRAINT positive_int_check CHECK (VALUE > 0);
CREATE TYPE money_pair AS (amount numeric(12, 2), currency char(3), feeling mood);

CREATE SEQUENCE ticket_seq AS integer START 100 INCREMENT 5;

CREATE FUNCTION code_ok(c text) RETURNS boolean LANGUAGE sql IMMUTABLE
    AS $$ SELECT char_length(c) > 2 $$;

CREATE TABLE ticket (
    id integer PRIMARY KEY DEFAULT nextval('ticket_seq'),
    code text NOT NULL UNIQUE,
    feeling mood NOT NULL DEFAULT 'ok',
    qty positive_int,
    price money_pair,
    during tstzrange NOT NULL,
    room integer NOT NULL,
    total integer GENERATED ALWAYS AS (qty * 2) STORED,
    category_id bigint REFERENCES tenant_app_category (id) DEFERRABLE INITIALLY DEFERRED,
    country_id bigint REFERENCES public.shared_app_country (id),
    name text COLLATE "C",
    CONSTRAINT ticket_code_ok CHECK (code_ok(code)),
    CONSTRAINT ticket_no_overlap EXCLUDE USING gist (during WITH &&)
);
ALTER SEQUENCE ticket_seq OWNED BY ticket.id;

CREATE TABLE counter (
    id bigint GENERATED ALWAYS AS IDENTITY (START WITH 10 INCREMENT BY 2) PRIMARY KEY,
    label text
);
CREATE TABLE legacy (id serial PRIMARY KEY, note text);

CREATE INDEX ticket_lower_code ON ticket (lower(code));
CREATE INDEX ticket_happy_room ON ticket (room) WHERE feeling = 'happy';

CREATE SEQUENCE measurement_id_seq;
CREATE TABLE measurement (
    id bigint NOT NULL DEFAULT nextval('measurement_id_seq'),
    taken date NOT NULL,
    value numeric,
    PRIMARY KEY (id, taken)
) PARTITION BY RANGE (taken);
CREATE TABLE measurement_2024 PARTITION OF measurement
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE measurement_rest PARTITION OF measurement DEFAULT;
CREATE INDEX measurement_taken ON measurement (taken);

CREATE VIEW happy_ticket AS SELECT id, code, category_id FROM ticket WHERE feeling = 'happy';
CREATE VIEW happy_code AS SELECT code FROM happy_ticket;
CREATE MATERIALIZED VIEW ticket_total AS
    SELECT feeling, count(*) AS n FROM ticket GROUP BY feeling;
CREATE UNIQUE INDEX ticket_total_feeling ON ticket_total (feeling);

CREATE FUNCTION shout_code() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.code := upper(NEW.code);
    RETURN NEW;
END
$$;
CREATE TRIGGER ticket_shout BEFORE INSERT OR UPDATE ON ticket
    FOR EACH ROW EXECUTE FUNCTION shout_code();

CREATE FUNCTION ticket_count(m mood) RETURNS bigint LANGUAGE sql STABLE
    AS $$ SELECT count(*) FROM ticket WHERE feeling = m $$;
CREATE FUNCTION happy_count() RETURNS bigint LANGUAGE sql STABLE
    BEGIN ATOMIC SELECT count(*) FROM happy_ticket; END;
CREATE FUNCTION first_ticket() RETURNS ticket LANGUAGE sql STABLE
    AS $$ SELECT * FROM ticket ORDER BY id LIMIT 1 $$;
CREATE PROCEDURE add_note(n text) LANGUAGE sql
    AS $$ INSERT INTO legacy (note) VALUES (n) $$;

COMMENT ON TYPE mood IS 'how a ticket feels';
COMMENT ON DOMAIN positive_int IS 'strictly positive';
COMMENT ON CONSTRAINT positive_int_check ON DOMAIN positive_int IS 'the check';
COMMENT ON TYPE money_pair IS 'an amount with its currency';
COMMENT ON SEQUENCE ticket_seq IS 'ticket numbers';
COMMENT ON TABLE ticket IS 'support tickets';
COMMENT ON COLUMN ticket.code IS 'public code';
COMMENT ON CONSTRAINT ticket_no_overlap ON ticket IS 'one ticket at a time';
COMMENT ON INDEX ticket_lower_code IS 'case-insensitive lookups';
COMMENT ON VIEW happy_ticket IS 'the happy ones';
COMMENT ON MATERIALIZED VIEW ticket_total IS 'totals';
COMMENT ON FUNCTION ticket_count(mood) IS 'count by mood';
COMMENT ON PROCEDURE add_note(text) IS 'adds a note';
COMMENT ON TRIGGER ticket_shout ON ticket IS 'upper-case codes';
COMMENT ON TABLE measurement IS 'partitioned';

INSERT INTO ticket (code, feeling, qty, price, during, room, name)
VALUES ('abc', 'happy', 3, ROW(9.99, 'EUR', 'ok'),
        tstzrange('2024-01-01', '2024-01-02'), 1, 'first'),
       ('def', 'sad', 1, NULL, tstzrange('2024-02-01', '2024-02-02'), 2, 'second');
INSERT INTO counter (label) VALUES ('a'), ('b');
CALL add_note('hello');
INSERT INTO measurement (taken, value) VALUES ('2024-05-01', 1.5), ('2030-01-01', 2);
REFRESH MATERIALIZED VIEW ticket_total;
"""

BACKWARD = r"""
DROP PROCEDURE add_note(text);
DROP FUNCTION first_ticket(), happy_count(), ticket_count(mood);
DROP MATERIALIZED VIEW ticket_total;
DROP VIEW happy_code, happy_ticket;
DROP TABLE measurement, legacy, counter, ticket;
DROP SEQUENCE measurement_id_seq;
DROP FUNCTION shout_code(), code_ok(text);
DROP TYPE money_pair;
DROP DOMAIN positive_int;
DROP TYPE mood;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("tenant_app", "0002_seed"),
        ("shared_app", "0001_initial"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
