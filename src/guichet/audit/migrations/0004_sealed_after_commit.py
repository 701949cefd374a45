"""Entries are sealed into the chain after they are written (see ``guichet.audit.models``).

Existing entries were chained in id order: their position is their id, and the head continues from
the highest id. On PostgreSQL the append-only trigger is replaced by one that also lets through the
sealing of an entry (no hash → hash, every other column unchanged) and nothing else.
"""

from typing import Any

from django.db import migrations, models

TRIGGER_OFF = "DROP TRIGGER IF EXISTS audit_auditentry_append_only ON audit_auditentry;"

TRIGGER_ON = """
CREATE OR REPLACE FUNCTION guichet_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('guichet.audit_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE'
        AND OLD.entry_hash IS NULL AND OLD.previous_hash IS NULL AND OLD.chain_position IS NULL
        AND NEW.entry_hash IS NOT NULL AND NEW.previous_hash IS NOT NULL AND NEW.chain_position IS NOT NULL
        AND (NEW.id, NEW.created_at, NEW.actor_id, NEW.actor_username, NEW.action, NEW.target_type,
             NEW.target_id, NEW.fields, NEW.reason, NEW.ip_address, NEW.channel)
            IS NOT DISTINCT FROM
            (OLD.id, OLD.created_at, OLD.actor_id, OLD.actor_username, OLD.action, OLD.target_type,
             OLD.target_id, OLD.fields, OLD.reason, OLD.ip_address, OLD.channel)
    THEN
        RETURN NEW;  -- sealing: the only change an entry ever gets
    END IF;
    RAISE EXCEPTION 'le journal d''audit est en ajout seul : % refusé sur %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_auditentry_append_only
    BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION guichet_audit_append_only();
"""

# The function of migration 0003 (refuses every UPDATE), for going back.
TRIGGER_ON_BEFORE = """
CREATE OR REPLACE FUNCTION guichet_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('guichet.audit_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'le journal d''audit est en ajout seul : % refusé sur %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_auditentry_append_only
    BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION guichet_audit_append_only();
"""


def _execute(schema_editor: Any, sql: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(sql, params=None)


def trigger_off(apps: Any, schema_editor: Any) -> None:
    _execute(schema_editor, TRIGGER_OFF)


def trigger_on(apps: Any, schema_editor: Any) -> None:
    _execute(schema_editor, TRIGGER_ON)


def trigger_on_before(apps: Any, schema_editor: Any) -> None:
    _execute(schema_editor, TRIGGER_ON_BEFORE)


def positions_from_ids(apps: Any, schema_editor: Any) -> None:
    """The chain so far is in id order: position = id; the head goes on from the last one."""
    table = apps.get_model("audit", "AuditEntry")._meta.db_table
    head_table = apps.get_model("audit", "AuditChainHead")._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET chain_position = id")  # noqa: S608 - our own table name
        cursor.execute(
            f"UPDATE {head_table} SET last_position = (SELECT COALESCE(MAX(id), 0) FROM {table})"  # noqa: S608
        )


class Migration(migrations.Migration):
    atomic = True

    dependencies = [
        ("audit", "0003_append_only_trigger"),
    ]

    operations = [
        migrations.RunPython(trigger_off, trigger_on_before),
        migrations.AddField(
            model_name="auditchainhead",
            name="last_position",
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="chain_position",
            field=models.PositiveBigIntegerField(blank=True, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="entry_hash",
            field=models.CharField(blank=True, max_length=64, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="previous_hash",
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.RunPython(positions_from_ids, migrations.RunPython.noop),
        migrations.RunPython(trigger_on, trigger_off),
    ]
