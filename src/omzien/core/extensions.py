"""How the capability apps plug into core without core importing them: an app may offer a
module `<app>.demo` with `build_app_demo(...)` and `<app>.workspace` with
`workspace_section(request)`. Core finds them in INSTALLED_APPS order."""

import importlib
import importlib.util

from django.apps import apps


def app_hooks(module, function):
    """`function` from `<app>.<module>` of every installed app (other than core) that has it."""
    for app_config in apps.get_app_configs():
        module_name = f"{app_config.name}.{module}"
        if app_config.label == "core" or not importlib.util.find_spec(module_name):
            continue
        hook = getattr(importlib.import_module(module_name), function, None)
        if hook is not None:
            yield hook
