"""An import-linter contract type: a set of modules may import only what a list allows.

`forbidden` says what a module must not import; the spine is easier to state the other way round
("the policy imports models and core only"), and then a new module cannot slip past the list.
"""

from __future__ import annotations

import grimp
from importlinter.application import output
from importlinter.domain import fields, helpers
from importlinter.domain.contract import Contract, ContractCheck


class AllowedImportsContract(Contract):
    """Every module in `source_modules` (and below) imports only modules matching `allowed_modules`,
    its own package, and modules outside the root package that are not listed in `forbidden_external`."""

    type_name = "allowed"
    source_modules = fields.ListField(subfield=fields.ModuleExpressionField())
    allowed_modules = fields.ListField(subfield=fields.ModuleExpressionField())
    forbidden_external = fields.ListField(subfield=fields.StringField(), required=False, default=[])

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        sources = {m.name for m in helpers.module_expressions_to_modules(
            graph=graph, expressions=self.source_modules, as_packages=True)}  # type: ignore[arg-type]
        allowed = {m.name for m in helpers.module_expressions_to_modules(
            graph=graph, expressions=self.allowed_modules, as_packages=True)}  # type: ignore[arg-type]
        roots = {name.split(".")[0] for name in sources}
        external_banned = {str(name) for name in (self.forbidden_external or [])}  # type: ignore[union-attr]
        broken = []
        for importer in sorted(sources):
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                top = imported.split(".")[0]
                if top in roots:
                    ok = imported in allowed or imported in sources
                else:
                    ok = top not in external_banned
                if not ok:
                    lines = [d["line_number"] for d in graph.get_import_details(importer=importer, imported=imported)]
                    broken.append((importer, imported, lines))
        return ContractCheck(kept=not broken, metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for importer, imported, lines in check.metadata["broken"]:
            where = ", ".join(f"l.{n}" for n in lines)
            output.print_error(f"{importer} -> {imported} ({where})", bold=False)
        output.new_line()


class SurfaceContract(Contract):
    """Modules outside each of `packages` import from it only the modules matching `public`."""

    type_name = "surface"
    packages = fields.ListField(subfield=fields.ModuleField())
    public = fields.ListField(subfield=fields.ModuleExpressionField())

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        public = {m.name for m in helpers.module_expressions_to_modules(
            graph=graph, expressions=self.public, as_packages=False)}  # type: ignore[arg-type]
        broken = []
        for package in self.packages:  # type: ignore[attr-defined]
            inside = graph.find_descendants(package.name) | {package.name}
            for imported in sorted(inside - public):
                for importer in sorted(graph.find_modules_that_directly_import(imported) - inside):
                    lines = [d["line_number"] for d in graph.get_import_details(importer=importer, imported=imported)]
                    broken.append((importer, imported, lines))
        return ContractCheck(kept=not broken, metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        AllowedImportsContract.render_broken_contract(self, check)  # type: ignore[arg-type]
