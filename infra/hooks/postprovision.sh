#!/usr/bin/env bash
# Builds the two trainer images inside the registry with ACR Tasks (no local Docker needed) and
# tags them :latest, which the Batch pools pull with the nodes' identity.
set -euo pipefail
cd "$(dirname "$0")/../.."
registry="${AZURE_CONTAINER_REGISTRY_NAME:?run through azd, which sets it from main.bicep outputs}"
az acr build --registry "$registry" --image trainer-cpu:latest --file trainers/tabular/Dockerfile .
az acr build --registry "$registry" --image trainer-gpu:latest --file trainers/gpu/Dockerfile .
