from django.apps import AppConfig


class PerfConfig(AppConfig):
    """Performance tooling: scale data (``seed_scale``), the benchmark (``bench``) and the
    baseline admin change list it compares against. No models, no pages of its own."""

    name = "perf"
    verbose_name = "Performance"
