#!/usr/bin/env bash
# Subscribes the app's blob trigger to BlobCreated events of the datasets container. This runs
# after deploy because Event Grid validates the endpoint, which exists only once the function
# does. The blobs extension's system key lives only in the subscription's endpoint; no app
# setting holds it.
set -euo pipefail
group="${AZURE_RESOURCE_GROUP:?run through azd}"
app="${AZURE_FUNCTION_APP_NAME:?run through azd}"
topic="${AZURE_EVENTGRID_SYSTEM_TOPIC:?run through azd}"
function="${BLOB_TRIGGER_FUNCTION:-ingest}"
key=$(az functionapp keys list --resource-group "$group" --name "$app" --query systemKeys.blobs_extension --output tsv)
az eventgrid system-topic event-subscription create \
  --resource-group "$group" \
  --system-topic-name "$topic" \
  --name "datasets-to-$function" \
  --endpoint-type webhook \
  --endpoint "https://${AZURE_FUNCTION_APP_HOST}/runtime/webhooks/blobs?functionName=Host.Functions.${function}&code=${key}" \
  --included-event-types Microsoft.Storage.BlobCreated \
  --subject-begins-with /blobServices/default/containers/datasets/ \
  --max-delivery-attempts 30
