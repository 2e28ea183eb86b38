#!/usr/bin/env node
// Validates rendered Kubernetes manifests (multi-document YAML files, e.g. `helm template` output)
// against the Kubernetes API's JSON schemas shipped by the npm package kubernetes-models, and the
// chart's custom resources against the prometheus-operator and cert-manager models.
// Usage: node scripts/validate-manifests.mjs FILE...  (scripts/install-manifest-validator.sh first)
// Exit status 1 when any document is invalid or of a kind with no schema here.
//
// What it checks: field types, required fields, enums and formats of every object. What it does
// not: unknown fields (the published schemas allow additional properties), and server-side rules
// (CEL, admission). A document whose kind has no model fails, so a new kind must be mapped below.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const modules = path.join(root, ".tools", "manifest-validator", "node_modules");
const { parseAllDocuments } = createRequire(path.join(modules, "yaml", "package.json"))("yaml");

// apiVersion group -> npm package holding its models.
const packages = {
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
  "cert-manager.io": "@kubernetes-models/cert-manager",
};

async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const pkg = packages[group] ?? "kubernetes-models";
  // Each model is one ES module file (<package>/<group>/<version>/<Kind>.js; the core group has none).
  const file = path.join(modules, pkg, group, version, `${kind}.js`);
  if (!existsSync(file)) {
    return undefined;
  }

  const module = await import(pathToFileURL(file).href);
  return module[kind];
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: validate-manifests.mjs FILE...");
  process.exit(2);
}

let checked = 0;
const failures = [];
for (const file of files) {
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (doc.errors.length > 0) {
      failures.push(`${file}: YAML error: ${doc.errors[0].message}`);
      continue;
    }

    const obj = doc.toJS();
    if (obj == null) {
      continue;
    }

    const where = `${file}: ${obj.kind ?? "?"}/${obj.metadata?.name ?? "?"}`;
    if (!obj.apiVersion || !obj.kind) {
      failures.push(`${where}: no apiVersion or kind`);
      continue;
    }

    const Model = await modelFor(obj.apiVersion, obj.kind);
    if (!Model) {
      failures.push(`${where}: no schema for ${obj.apiVersion} ${obj.kind}`);
      continue;
    }

    try {
      new Model(obj).validate();
      checked++;
    } catch (e) {
      failures.push(`${where}: ${e.message}`);
    }
  }
}

for (const f of failures) {
  console.error(`invalid: ${f}`);
}

console.log(`validate-manifests: ${checked} valid, ${failures.length} invalid`);
process.exit(failures.length === 0 ? 0 : 1);
