"""Payment profiles get a random public id (public page), the stored static payload and
``updated_at``; the account kind and BIN length become database constraints.

The public id is added nullable, filled row by row, then made unique and required, so the
migration also runs on a database that already holds profiles.
"""

import secrets

import django.utils.timezone
from django.db import migrations, models

import langso.payments.models


def fill_public_ids(apps, schema_editor):
    PaymentProfile = apps.get_model("payments", "PaymentProfile")
    for pk in PaymentProfile.objects.filter(public_id__isnull=True).values_list("pk", flat=True).iterator():
        PaymentProfile.objects.filter(pk=pk).update(public_id=secrets.token_urlsafe(9))


class Migration(migrations.Migration):

    dependencies = [
        ("payments", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="paymentprofile",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="paymentprofile",
            name="payload",
            field=models.CharField(blank=True, default="", max_length=255),
        ),
        migrations.AddField(
            model_name="paymentprofile",
            name="public_id",
            field=models.CharField(max_length=16, null=True, editable=False),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="paymentprofile",
            name="public_id",
            field=models.CharField(
                default=langso.payments.models.new_public_id, editable=False, max_length=16, unique=True
            ),
        ),
        migrations.AddConstraint(
            model_name="paymentprofile",
            constraint=models.CheckConstraint(
                condition=models.Q(("account_kind__in", ["QRIBFTTA", "QRIBFTTC"])), name="payment_profile_kind_valid"
            ),
        ),
        migrations.AddConstraint(
            model_name="paymentprofile",
            constraint=models.CheckConstraint(condition=models.Q(("bank_bin__length", 6)), name="payment_profile_bin_6"),
        ),
    ]
