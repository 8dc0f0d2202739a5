"""Empty tables wired the ways that decide what a clone can create inside CREATE TABLE.

A self reference, a cycle of foreign keys, keys that are unique indexes rather than
constraints, NOT VALID constraints (CREATE TABLE would mark them valid), and a check and a
unique index calling a function that can only be created after the tables.
"""

from django.db import migrations

FORWARD = r"""
CREATE TABLE node (id bigint PRIMARY KEY, parent_id bigint REFERENCES node (id), code text);
CREATE UNIQUE INDEX node_code ON node (code);
CREATE TABLE leaf (
    id bigint PRIMARY KEY,
    node_code text REFERENCES node (code),
    partner_id bigint
);
CREATE TABLE partner (id bigint PRIMARY KEY, leaf_id bigint REFERENCES leaf (id));
ALTER TABLE leaf ADD CONSTRAINT leaf_partner
    FOREIGN KEY (partner_id) REFERENCES partner (id) DEFERRABLE;

CREATE TABLE chain (id bigint NOT NULL, next_id bigint);
CREATE UNIQUE INDEX chain_id ON chain (id);
ALTER TABLE chain ADD CONSTRAINT chain_next FOREIGN KEY (next_id) REFERENCES chain (id);

ALTER TABLE node ADD CONSTRAINT node_code_short CHECK (char_length(code) < 10) NOT VALID;
ALTER TABLE partner ADD CONSTRAINT partner_leaf_again
    FOREIGN KEY (leaf_id) REFERENCES leaf (id) NOT VALID;

CREATE FUNCTION big_id(i bigint, unused node DEFAULT NULL) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$ SELECT i > 0 $$;
ALTER TABLE chain ADD CONSTRAINT chain_big CHECK (big_id(id));
CREATE UNIQUE INDEX partner_big ON partner (big_id(id), id);
CREATE TABLE twig (id bigint PRIMARY KEY, partner_id bigint REFERENCES partner (id));
"""

BACKWARD = r"""
DROP TABLE twig, chain, partner, leaf, node CASCADE;
DROP FUNCTION IF EXISTS big_id(bigint, node);
"""


class Migration(migrations.Migration):
    dependencies = [("kitchen_app", "0001_every_object_kind")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
