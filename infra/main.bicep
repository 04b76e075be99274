// Castiel Sync Engine on Azure: Service Bus (the three work queues), Event Grid (domain events,
// and routes that turn job events into queue messages), Cosmos DB (shards, integrations, runs),
// Key Vault (integration credentials), the Function App (Java 21) with its identity and
// settings, Application Insights and the seed's four alert rules.
//
// Every service is reached with the Function App's managed identity; no key is written into the
// app settings. Deploy: see docs/DEPLOY-AZURE.md.

targetScope = 'resourceGroup'

@description('Environment name in lower-case letters and digits, used in resource names (dev, test, prod).')
@minLength(2)
@maxLength(6)
param env string

@description('Region of every resource.')
param location string = resourceGroup().location

@description('Records a run processes before it leaves a checkpoint and queues a continuation (MAX_RECORDS_PER_SYNC).')
@minValue(0)
param maxRecordsPerSync int = 1000

@description('Jobs processed at once per instance (MAX_CONCURRENT_SYNCS); also the Service Bus trigger concurrency.')
@minValue(1)
param maxConcurrentSyncs int = 3

@description('Where the alert rules send their notifications.')
param alertEmail string

@description('Cosmos DB database name (COSMOS_DATABASE).')
param cosmosDatabaseName string = 'castiel-sync'

var suffix = uniqueString(resourceGroup().id, env)
var names = {
  serviceBus: 'sb-sync-${env}-${suffix}'
  eventGrid: 'egt-sync-${env}-${suffix}'
  cosmos: 'cosmos-sync-${env}-${suffix}'
  keyVault: 'kv-sync-${env}-${take(suffix, 8)}'
  storage: 'stsync${env}${take(suffix, 10)}'
  plan: 'plan-sync-${env}'
  functionApp: 'func-sync-${env}-${suffix}'
  workspace: 'log-sync-${env}'
  insights: 'appi-sync-${env}'
  actionGroup: 'ag-sync-${env}'
}

// The seed's QUEUE_CONFIG, as sync-core's QueueSpec constants map onto Service Bus
// (ServiceBusQueueSettings): a test holds this list and the code together. Service Bus caps a
// lock at five minutes, so the seed's ten-minute lock of sync-inbound-scheduled is five minutes
// here and the holder renews it.
var queues = [
  {
    name: 'sync-inbound-webhook'
    maxDeliveryCount: 5
    lockDuration: 'PT5M'
    defaultMessageTimeToLive: 'P7D'
    requiresSession: false
    deadLetteringOnMessageExpiration: true
    duplicateDetectionHistoryTimeWindow: 'PT1H'
  }
  {
    name: 'sync-inbound-scheduled'
    maxDeliveryCount: 10
    lockDuration: 'PT5M'
    defaultMessageTimeToLive: 'P14D'
    requiresSession: false
    deadLetteringOnMessageExpiration: true
    duplicateDetectionHistoryTimeWindow: 'PT1H'
  }
  {
    name: 'sync-outbound'
    maxDeliveryCount: 10
    lockDuration: 'PT5M'
    defaultMessageTimeToLive: 'P7D'
    requiresSession: true
    deadLetteringOnMessageExpiration: true
    duplicateDetectionHistoryTimeWindow: 'PT1H'
  }
]

// Event Grid routes: an event whose data is a job message (it has data.jobType) is delivered to
// the queue of its kind. The engine's own notifications carry no jobType, so they are never
// routed back into the queues (no double processing).
var routes = [
  {
    name: 'webhook-jobs'
    eventType: 'Castiel.Integration.WebhookReceived'
    queue: 'sync-inbound-webhook'
  }
  {
    name: 'scheduled-jobs'
    eventType: 'Castiel.Integration.SyncScheduled'
    queue: 'sync-inbound-scheduled'
  }
]

// The engine's containers (CosmosSyncContainers), all partitioned by /tenantId.
var containers = [
  'shards'
  'integrations'
  'runs'
]

// Built-in role definition ids.
var roles = {
  serviceBusDataOwner: '090c5cfd-751d-490a-894a-3ce6f1109419'
  eventGridDataSender: 'd5a91429-5739-47e2-a06b-3470a27159e7'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
}

// ---- Service Bus ----

resource serviceBus 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: names.serviceBus
  location: location
  sku: {
    // sessions and duplicate detection need Standard or above
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

resource serviceBusQueues 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' = [for q in queues: {
  parent: serviceBus
  name: q.name
  properties: {
    maxDeliveryCount: q.maxDeliveryCount
    lockDuration: q.lockDuration
    defaultMessageTimeToLive: q.defaultMessageTimeToLive
    requiresSession: q.requiresSession
    deadLetteringOnMessageExpiration: q.deadLetteringOnMessageExpiration
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: q.duplicateDetectionHistoryTimeWindow
    enableBatchedOperations: true
  }
}]

// ---- Event Grid ----

resource eventGrid 'Microsoft.EventGrid/topics@2022-06-15' = {
  name: names.eventGrid
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    inputSchema: 'EventGridSchema'
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
  }
}

// Event Grid delivers to the queues with its own identity.
resource eventGridSendsToServiceBus 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(serviceBus.id, eventGrid.id, roles.serviceBusDataOwner)
  scope: serviceBus
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataOwner)
    principalId: eventGrid.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource eventGridRoutes 'Microsoft.EventGrid/topics/eventSubscriptions@2022-06-15' = [for r in routes: {
  parent: eventGrid
  name: r.name
  dependsOn: [
    eventGridSendsToServiceBus
    serviceBusQueues
  ]
  properties: {
    eventDeliverySchema: 'EventGridSchema'
    deliveryWithResourceIdentity: {
      identity: {
        type: 'SystemAssigned'
      }
      destination: {
        endpointType: 'ServiceBusQueue'
        properties: {
          resourceId: resourceId('Microsoft.ServiceBus/namespaces/queues', serviceBus.name, r.queue)
        }
      }
    }
    filter: {
      includedEventTypes: [
        r.eventType
      ]
      advancedFilters: [
        {
          operatorType: 'IsNotNull'
          key: 'data.jobType'
        }
      ]
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}]

// ---- Cosmos DB ----

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' = {
  name: names.cosmos
  location: location
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    disableLocalAuth: true
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
  }
}

resource cosmosDatabase 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-05-15' = {
  parent: cosmos
  name: cosmosDatabaseName
  properties: {
    resource: {
      id: cosmosDatabaseName
    }
    options: {
      autoscaleSettings: {
        maxThroughput: 4000
      }
    }
  }
}

// shards, integrations, runs: all partitioned by tenant
resource cosmosContainers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = [for c in containers: {
  parent: cosmosDatabase
  name: c
  properties: {
    resource: {
      id: c
      partitionKey: {
        paths: [
          '/tenantId'
        ]
        kind: 'Hash'
        version: 2
      }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [
          {
            path: '/*'
          }
        ]
        excludedPaths: [
          {
            path: '/structuredData/*'
          }
          {
            path: '/"_etag"/?'
          }
        ]
      }
    }
  }
}]

// Cosmos DB Built-in Data Contributor for the app's identity (data plane only).
resource cosmosDataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-05-15' = {
  parent: cosmos
  name: guid(cosmos.id, functionApp.id, 'data-contributor')
  properties: {
    roleDefinitionId: '${cosmos.id}/sqlRoleDefinitions/00000000-0000-0000-0000-000000000002'
    principalId: functionApp.identity.principalId
    scope: cosmos.id
  }
}

// ---- Key Vault ----

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: names.keyVault
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
  }
}

// ---- Monitoring ----

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: names.workspace
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: names.insights
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
  }
}

// ---- Function App ----

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: names.storage
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
  }
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: names.plan
  location: location
  // Elastic Premium: runs longer than the Consumption plan's 10 minutes, scales on queue length
  sku: {
    name: 'EP1'
    tier: 'ElasticPremium'
  }
  kind: 'elastic'
  properties: {
    reserved: true
    maximumElasticWorkerCount: 20
  }
}

resource functionApp 'Microsoft.Web/sites@2023-12-01' = {
  name: names.functionApp
  location: location
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: 'Java|21'
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      functionsRuntimeScaleMonitoringEnabled: true
      appSettings: [
        {
          name: 'FUNCTIONS_EXTENSION_VERSION'
          value: '~4'
        }
        {
          name: 'FUNCTIONS_WORKER_RUNTIME'
          value: 'java'
        }
        {
          name: 'AzureWebJobsStorage__accountName'
          value: storage.name
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: insights.properties.ConnectionString
        }
        {
          name: 'SERVICEBUS_SYNC_CONNECTION__fullyQualifiedNamespace'
          value: '${serviceBus.name}.servicebus.windows.net'
        }
        {
          name: 'KEY_VAULT_URL'
          value: keyVault.properties.vaultUri
        }
        {
          name: 'EVENTGRID_ENDPOINT'
          value: eventGrid.properties.endpoint
        }
        {
          name: 'COSMOS_ENDPOINT'
          value: cosmos.properties.documentEndpoint
        }
        {
          name: 'COSMOS_DATABASE'
          value: cosmosDatabaseName
        }
        {
          name: 'MAX_RECORDS_PER_SYNC'
          value: string(maxRecordsPerSync)
        }
        {
          name: 'MAX_CONCURRENT_SYNCS'
          value: string(maxConcurrentSyncs)
        }
        // host.json's Service Bus concurrency follows MAX_CONCURRENT_SYNCS
        {
          name: 'AzureFunctionsJobHost__extensions__serviceBus__maxConcurrentCalls'
          value: string(maxConcurrentSyncs)
        }
        {
          name: 'JAVA_OPTS'
          value: '--sun-misc-unsafe-memory-access=allow'
        }
      ]
    }
  }
}

var storageRoles = [
  roles.storageBlobDataOwner
  roles.storageQueueDataContributor
  roles.storageTableDataContributor
]

resource appOnServiceBus 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(serviceBus.id, functionApp.id, roles.serviceBusDataOwner)
  scope: serviceBus
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataOwner)
    principalId: functionApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource appOnEventGrid 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(eventGrid.id, functionApp.id, roles.eventGridDataSender)
  scope: eventGrid
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.eventGridDataSender)
    principalId: functionApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource appOnKeyVault 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyVault.id, functionApp.id, roles.keyVaultSecretsOfficer)
  scope: keyVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
    principalId: functionApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource appOnStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in storageRoles: {
  name: guid(storage.id, functionApp.id, role)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    principalId: functionApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}]

// ---- Alerts (the seed's four) ----

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: names.actionGroup
  location: 'global'
  properties: {
    groupShortName: 'syncalerts'
    enabled: true
    emailReceivers: [
      {
        name: 'operators'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

// High failure rate: more than 10 % of the last hour's jobs failing, once at least 10 ran
// (Critical), as sync-core's AlertThresholds.DEFAULT. Jobs are counted from the engine's
// structured job log lines in Application Insights.
resource alertFailureRate 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = {
  name: 'sync-high-failure-rate-${env}'
  location: location
  properties: {
    displayName: 'Sync: high failure rate (>10% of jobs failing)'
    severity: 0
    enabled: true
    scopes: [
      insights.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT1H'
    criteria: {
      allOf: [
        {
          query: 'traces | where message has "sync job failed" or message has "sync job completed" | summarize failed = countif(message has "sync job failed"), total = count() | where total >= 10 and todouble(failed) / total > 0.1'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: [
        actionGroup.id
      ]
    }
  }
}

// Queue backlog: more than 100 pending jobs on a queue (Warning).
resource alertBacklog 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: 'sync-queue-backlog-${env}'
  location: 'global'
  properties: {
    description: 'Sync: queue backlog (>100 pending jobs)'
    severity: 2
    enabled: true
    scopes: [
      serviceBus.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          name: 'active-messages'
          criterionType: 'StaticThresholdCriterion'
          metricName: 'ActiveMessages'
          metricNamespace: 'Microsoft.ServiceBus/namespaces'
          dimensions: [
            {
              name: 'EntityName'
              operator: 'Include'
              values: [
                '*'
              ]
            }
          ]
          operator: 'GreaterThan'
          threshold: 100
          timeAggregation: 'Maximum'
        }
      ]
    }
    actions: [
      {
        actionGroupId: actionGroup.id
      }
    ]
  }
}

// Token refresh failure: any within the last hour (High).
resource alertTokenRefresh 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = {
  name: 'sync-token-refresh-failure-${env}'
  location: location
  properties: {
    displayName: 'Sync: token refresh failure'
    severity: 1
    enabled: true
    scopes: [
      insights.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT1H'
    criteria: {
      allOf: [
        {
          query: 'traces | where message has "token refresh failed"'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: [
        actionGroup.id
      ]
    }
  }
}

// Dead letter accumulation: more than 10 dead-lettered messages over all queues (Warning).
resource alertDeadLetters 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: 'sync-dead-letters-${env}'
  location: 'global'
  properties: {
    description: 'Sync: dead letter accumulation (>10 messages)'
    severity: 2
    enabled: true
    scopes: [
      serviceBus.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          name: 'dead-lettered-messages'
          criterionType: 'StaticThresholdCriterion'
          metricName: 'DeadletteredMessages'
          metricNamespace: 'Microsoft.ServiceBus/namespaces'
          operator: 'GreaterThan'
          threshold: 10
          timeAggregation: 'Maximum'
        }
      ]
    }
    actions: [
      {
        actionGroupId: actionGroup.id
      }
    ]
  }
}

output functionAppName string = functionApp.name
output serviceBusNamespace string = '${serviceBus.name}.servicebus.windows.net'
output eventGridEndpoint string = eventGrid.properties.endpoint
output cosmosEndpoint string = cosmos.properties.documentEndpoint
output keyVaultUrl string = keyVault.properties.vaultUri
