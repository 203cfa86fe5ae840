"""Attribution: conversions, experiment decisions and the campaign holdout share."""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("saleor_ma_plugin", "0006_segments")]

    operations = [
        migrations.AddField(
            model_name='campaign',
            name='holdout_share',
            field=models.PositiveSmallIntegerField(default=0, help_text='Percent (0-50) of contacts who enter but receive nothing: the control.', validators=[django.core.validators.MaxValueValidator(50)]),
        ),
        migrations.CreateModel(
            name='Conversion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('order_id', models.CharField(help_text="The shop's order id.", max_length=64)),
                ('model', models.CharField(choices=[('last_touch', 'Last touch'), ('holdout_test', 'Holdout comparison')], default='last_touch', max_length=16)),
                ('step_key', models.SlugField(blank=True, max_length=64)),
                ('revenue', models.DecimalField(decimal_places=3, max_digits=20)),
                ('currency', models.CharField(max_length=3)),
                ('touch', models.CharField(choices=[('click', 'Click'), ('open', 'Open'), ('voucher', 'Voucher redeemed'), ('holdout', 'Holdout'), ('treated', 'Treated')], max_length=8)),
                ('touched_at', models.DateTimeField(blank=True, help_text='The click, open or voucher issue credited.', null=True)),
                ('occurred_at', models.DateTimeField(help_text='When the order was placed.')),
                ('attributed_at', models.DateTimeField(auto_now_add=True)),
                ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='conversions', to='saleor_ma_plugin.campaign')),
                ('contact', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='conversions', to='saleor_ma_plugin.contact')),
                ('enrollment', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='conversions', to='saleor_ma_plugin.enrollment')),
                ('message', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='conversions', to='saleor_ma_plugin.message')),
            ],
            options={
                'indexes': [models.Index(fields=['campaign', 'model', 'step_key'], name='ma_conversion_step_idx'), models.Index(fields=['campaign', 'model', 'occurred_at'], name='ma_conversion_time_idx'), models.Index(fields=['enrollment', 'model'], name='ma_conversion_run_idx')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('model', 'last_touch')), fields=('order_id', 'model'), name='ma_conversion_order_uniq'), models.UniqueConstraint(condition=models.Q(('model', 'holdout_test')), fields=('order_id', 'model', 'campaign'), name='ma_conversion_holdout_uniq')],
            },
        ),
        migrations.CreateModel(
            name='ExperimentDecision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('step_key', models.SlugField(max_length=64)),
                ('winner', models.CharField(max_length=32)),
                ('source', models.CharField(choices=[('automatic', 'Automatic (Bayesian)'), ('manual', 'Chosen by an admin')], max_length=16)),
                ('probabilities', models.JSONField(blank=True, default=dict, help_text='Probability to be best per variant, at decision.')),
                ('results', models.JSONField(blank=True, default=dict, help_text='Recipients and conversions per variant, then.')),
                ('decided_at', models.DateTimeField()),
                ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='experiment_decisions', to='saleor_ma_plugin.campaign')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('campaign', 'step_key'), name='ma_experiment_decision_uniq')],
            },
        ),
    ]
