"""Builds the release bundle hearth-<version>.tar.gz from a checkout whose jars are built (`bin/hearth dist` runs it).

Build tool only: it is not shipped. It copies the jars as the build laid them out (each runnable jar beside the lib/
its manifest's Class-Path names), the bundle's launchers and examples from dist/, the kernelspec templates and the
example notebooks, and collects the licenses of every bundled jar: the license its POM declares (offline, from the
local Maven repository, following parent POMs) and the LICENSE/NOTICE files inside it. The tarball is reproducible:
sorted entries, owner root, fixed modes and one timestamp.
"""
import argparse
import gzip
import re
import shutil
import sys
import tarfile
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

# Bundle directory under lib/ -> the module whose target/ holds the runnable jar and its lib/.
PARTS = {
    "gateway": ("session-gateway", "hearth-session-gateway.jar"),
    "engine": ("engine", "hearth-engine.jar"),
    "kernel": ("kernel", "hearth-kernel.jar"),
}
OWN_GROUP = "io.hearth"
LICENSE_FILE = re.compile(r"(^|/)(LICEN[CS]E|NOTICE|COPYING|COPYRIGHT)([._-][^/]*)?$", re.IGNORECASE)
EXECUTABLES = {"bin/hearth", "bin/hearth-gateway"}


def fail(message):
    print(f"hearth dist: {message}", file=sys.stderr)
    sys.exit(1)


def manifest_class_path(jar):
    """The Class-Path entries of a jar's manifest (continuation lines joined)."""
    with zipfile.ZipFile(jar) as z:
        text = z.read("META-INF/MANIFEST.MF").decode("utf-8")
    joined = re.sub(r"\r?\n ", "", text)
    for line in joined.splitlines():
        if line.startswith("Class-Path:"):
            return line[len("Class-Path:"):].split()
    return []


def copy_jars(repo, root):
    """Copies each part's jar and exactly the libraries its manifest names; returns {jar file name: [parts]}."""
    used_by = {}
    for part, (module, jar_name) in PARTS.items():
        target = repo / module / "target"
        jar = target / jar_name
        if not jar.is_file():
            fail(f"{jar} is missing: build the jars first (bin/hearth build)")
        dest = root / "lib" / part
        (dest / "lib").mkdir(parents=True)
        shutil.copy2(jar, dest / jar_name)
        for entry in manifest_class_path(jar):
            source = target / entry
            if not source.is_file():
                fail(f"{jar_name}'s manifest names {entry}, which the build did not put in {target}")
            shutil.copy2(source, dest / entry)
            used_by.setdefault(Path(entry).name, []).append(part)
    return used_by


def resolved_artifacts(repo):
    """{jar file name: (groupId, artifactId, version, path in the local repository)} from `mvn dependency:list`."""
    found = {}
    line_re = re.compile(r"^\s*([^:\s]+):([^:]+):jar(?::([^:]+))?:([^:]+):(?:compile|runtime):(\S+)")
    for module, _ in PARTS.values():
        listing = repo / module / "target" / "runtime-deps.txt"
        if not listing.is_file():
            fail(f"{listing} is missing: bin/hearth dist writes it with mvn dependency:list")
        for line in listing.read_text().splitlines():
            m = line_re.match(line)
            if m:
                group, artifact, classifier, version, path = m.groups()
                # The name copy-dependencies gives the jar in target/lib.
                name = f"{artifact}-{version}{'-' + classifier if classifier else ''}.jar"
                found[name] = (group, artifact, version, Path(path))
    return found


def strip_ns(tree):
    for element in tree.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.split("}", 1)[1]
    return tree


def pom_licenses(pom, local_repo, seen=()):
    """The licenses a POM declares, else its nearest parent's: [(name, url)]; [] when none in the chain declares one."""
    if not pom.is_file() or pom in seen:
        return []
    project = strip_ns(ET.parse(pom)).getroot()
    licenses = [((lic.findtext("name") or "").strip(), (lic.findtext("url") or "").strip())
                for lic in project.findall("licenses/license")]
    if licenses:
        return licenses
    parent = project.find("parent")
    if parent is None:
        return []
    group, artifact, version = (parent.findtext(k).strip() for k in ("groupId", "artifactId", "version"))
    parent_pom = local_repo.joinpath(*group.split("."), artifact, version, f"{artifact}-{version}.pom")
    return pom_licenses(parent_pom, local_repo, (*seen, pom))


def license_files(jar, dest):
    """Copies the jar's LICENSE/NOTICE files (top level and META-INF/) into dest; returns their names there."""
    names = []
    with zipfile.ZipFile(jar) as z:
        for entry in sorted(z.namelist()):
            if entry.endswith("/"):
                continue
            in_place = "/" not in entry or entry.upper().startswith("META-INF/")
            if in_place and (LICENSE_FILE.search(entry) or "/licenses/" in entry.lower()):
                target = dest / entry.replace("/", "_")
                dest.mkdir(parents=True, exist_ok=True)
                target.write_bytes(z.read(entry))
                names.append(target.name)
    return names


def collect_licenses(repo, root, used_by):
    licenses_dir = root / "licenses"
    licenses_dir.mkdir()
    own = repo / "LICENSE"
    if own.is_file():
        shutil.copy2(own, root / "LICENSE")
    else:
        print("hearth dist: warning: the checkout has no LICENSE file, so the bundle carries none for Hearth itself",
              file=sys.stderr)
    artifacts = resolved_artifacts(repo)
    rows = []
    for name in sorted(used_by):
        if name not in artifacts:
            fail(f"{name} is bundled but mvn dependency:list did not name it: cannot say whose it is")
        group, artifact, version, path = artifacts[name]
        if group == OWN_GROUP:
            continue
        local_repo = path.parents[len(group.split(".")) + 2]
        declared = pom_licenses(path.with_name(f"{artifact}-{version}.pom"), local_repo)
        files = license_files(path if path.is_file() else root / "lib" / used_by[name][0] / "lib" / name,
                              licenses_dir / f"{artifact}-{version}")
        rows.append((name, f"{group}:{artifact}:{version}", declared, used_by[name], files))
    with open(licenses_dir / "THIRD-PARTY.md", "w") as out:
        out.write("# Licenses of the bundled libraries\n\n"
                  "Each jar under lib/ that is not Hearth's own, with the license its Maven POM declares (or its parent"
                  " POM's), where it is used, and the license and notice files found inside it, copied to"
                  " licenses/<artifact>-<version>/.\n\n"
                  "| jar | Maven coordinates | license declared in its POM | in | files in licenses/ |\n"
                  "|---|---|---|---|---|\n")
        for name, coordinates, declared, parts, files in rows:
            lic = "; ".join(f"{n} ({u})" if u else n for n, u in declared) or "none declared"
            out.write(f"| {name} | {coordinates} | {lic} | {', '.join(parts)} |"
                      f" {', '.join(files) if files else '—'} |\n")
    undeclared = [r[0] for r in rows if not r[2] and not r[4]]
    if undeclared:
        print(f"hearth dist: warning: no license declared or found for {', '.join(undeclared)}", file=sys.stderr)
    return len(rows)


def copy_sources(repo, root, version, spark_version):
    dist = repo / "dist"
    shutil.copytree(dist / "bin", root / "bin")
    shutil.copytree(dist / "conf", root / "conf")
    shutil.copytree(dist / "systemd", root / "systemd")
    shutil.copy2(dist / "README.md", root / "README.md")
    shutil.copytree(repo / "kernelspec", root / "kernelspec")
    shutil.copytree(repo / "notebooks", root / "notebooks",
                    ignore=shutil.ignore_patterns("*.executed.ipynb", ".ipynb_checkpoints", "spark-warehouse"))
    (root / "VERSION").write_text(f"hearth.version={version}\nspark.version={spark_version}\n")


def write_tarball(root, tarball, mtime, compresslevel):
    """A reproducible tar.gz of root: sorted entries, owner root, 755/644 modes, one timestamp."""
    def normalise(info):
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        info.mtime = mtime
        relative = info.name.split("/", 1)[1] if "/" in info.name else ""
        info.mode = 0o755 if info.isdir() or relative in EXECUTABLES else 0o644
        return info

    buffer = tarball.with_suffix(".part")
    with open(buffer, "wb") as raw, \
            gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=compresslevel, mtime=mtime, filename="") as gz, \
            tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path in [root, *sorted(root.rglob("*"))]:
            tar.add(path, arcname=str(Path(root.name) / path.relative_to(root)), recursive=False, filter=normalise)
    buffer.replace(tarball)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, required=True)
    parser.add_argument("--version", required=True)
    parser.add_argument("--spark-version", required=True)
    parser.add_argument("--mtime", type=int, required=True, help="timestamp of every entry (the last commit's)")
    parser.add_argument("--out", type=Path, required=True, help="directory for hearth-<version>.tar.gz")
    parser.add_argument("--compresslevel", type=int, default=6,
                        help="gzip level; 0 stores (the jars are compressed already: 8%% larger, a tenth of the time)")
    args = parser.parse_args()
    name = f"hearth-{args.version}"
    with tempfile.TemporaryDirectory(prefix="hearth-dist-") as tmp:
        root = Path(tmp) / name
        root.mkdir()
        copy_sources(args.repo, root, args.version, args.spark_version)
        used_by = copy_jars(args.repo, root)
        third_party = collect_licenses(args.repo, root, used_by)
        args.out.mkdir(parents=True, exist_ok=True)
        tarball = args.out / f"{name}.tar.gz"
        write_tarball(root, tarball, args.mtime, args.compresslevel)
    print(f"{tarball} ({tarball.stat().st_size // (1024 * 1024)} MiB; {third_party} third-party jars, licenses in"
          f" {name}/licenses/)")


if __name__ == "__main__":
    main()
