#!/usr/bin/env python3
# check-manifest.py MANIFEST APP_ID SOURCE_ROOT: what flatpak-builder reads
# from the manifest is what Flathub and the users get. The GNOME SDK cannot be
# downloaded here, so the module is configured the way flatpak-builder does
# it (meson, prefix /app, the manifest's config-opts) and its install list is
# checked: `flatpak run --command=portqry APP_ID` needs /app/bin/portqry.
import fnmatch
import json
import os
import shutil
import subprocess
import sys
import tempfile

manifest_path, app_id, source_root = sys.argv[1:4]
failures = []

# flatpak-builder leaves a .flatpak-builder directory where it runs.
with tempfile.TemporaryDirectory(prefix='pq-flatpak-') as scratch:
    shown = subprocess.run(['flatpak-builder', '--show-manifest', os.path.abspath(manifest_path)],
                           capture_output=True, text=True, cwd=scratch)
if shown.returncode != 0:
    sys.exit(f'flatpak-builder cannot read the manifest:\n{shown.stderr}')
if 'WARNING' in shown.stderr:  # unknown keys are only warnings
    failures.append(f'flatpak-builder warns about the manifest:\n{shown.stderr}')
manifest = json.loads(shown.stdout)

if manifest.get('id') != app_id:
    failures.append(f'id is {manifest.get("id")!r}, not {app_id!r}')
if manifest.get('runtime') != 'org.gnome.Platform' or manifest.get('sdk') != 'org.gnome.Sdk':
    failures.append('runtime and sdk must be org.gnome.Platform and org.gnome.Sdk')
command = manifest.get('command')
if command != 'portquery':
    failures.append(f'command is {command!r}, not the application portquery')

finish_args = manifest.get('finish-args', [])
for arg in finish_args:
    if arg.startswith('--filesystem'):
        failures.append(f'{arg}: files are opened and saved through the portal, '
                        'the sandbox needs no file system access')
for needed in ('--share=network', '--socket=wayland', '--socket=fallback-x11'):
    if needed not in finish_args:
        failures.append(f'finish-args lack {needed}')

module = manifest['modules'][-1]
if module.get('buildsystem') != 'meson':
    failures.append('the last module must be built with meson')
sources = module.get('sources', [])
if not any(s.get('type') == 'dir' and s.get('path') == '..' for s in sources):
    failures.append('the module must be built from this source tree (type dir, path "..")')
config_opts = module.get('config-opts', [])
if '-Dtests=false' not in config_opts:
    failures.append('config-opts must contain -Dtests=false')

# Configure as flatpak-builder would, and read what would be installed.
meson = shutil.which('meson')
with tempfile.TemporaryDirectory(prefix='pq-flatpak-') as build:
    setup = subprocess.run([meson, 'setup', '--prefix=/app', '--libdir=lib', '--buildtype=release',
                            *config_opts, build, source_root],
                           capture_output=True, text=True)
    if setup.returncode != 0:
        sys.exit(f'meson setup with the manifest\'s options failed:\n{setup.stdout[-3000:]}{setup.stderr}')
    listing = subprocess.run([meson, 'introspect', '--installed', build],
                             capture_output=True, text=True, check=True)
    installed = set(json.loads(listing.stdout).values())

cleanup = manifest.get('cleanup', []) + module.get('cleanup', [])


def removed_by_cleanup(path):
    rel = path[len('/app'):]
    return any(fnmatch.fnmatch(rel, p) if p.startswith('/') else fnmatch.fnmatch(os.path.basename(rel), p)
               for p in cleanup)


expected = [
    f'/app/bin/{command}',
    '/app/bin/portqry',
    f'/app/share/applications/{app_id}.desktop',
    f'/app/share/metainfo/{app_id}.metainfo.xml',
    f'/app/share/icons/hicolor/scalable/apps/{app_id}.svg',
    f'/app/share/icons/hicolor/symbolic/apps/{app_id}-symbolic.svg',
    f'/app/share/glib-2.0/schemas/{app_id}.gschema.xml',
]
for path in expected:
    if path not in installed:
        failures.append(f'{path} is not installed by the module')
    elif removed_by_cleanup(path):
        failures.append(f'{path} is removed again by the cleanup list')

for failure in failures:
    print('FAIL:', failure)
if not failures:
    print(f'{app_id}: runs {command}, no file system access; installs ' + ', '.join(expected))
sys.exit(1 if failures else 0)
