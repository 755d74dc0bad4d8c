IF OBJECT_ID(N'[__EFMigrationsHistory]') IS NULL
BEGIN
    CREATE TABLE [__EFMigrationsHistory] (
        [MigrationId] nvarchar(150) NOT NULL,
        [ProductVersion] nvarchar(32) NOT NULL,
        CONSTRAINT [PK___EFMigrationsHistory] PRIMARY KEY ([MigrationId])
    );
END;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124220412_InitialSchema'
)
BEGIN
    CREATE TABLE [AuditEntries] (
        [Id] bigint NOT NULL IDENTITY,
        [TenantId] uniqueidentifier NOT NULL,
        [At] datetimeoffset NOT NULL,
        [ActorKind] nvarchar(16) NOT NULL,
        [ActorId] nvarchar(100) NOT NULL,
        [ActorName] nvarchar(200) NOT NULL,
        [Action] nvarchar(64) NOT NULL,
        [EntityType] nvarchar(64) NOT NULL,
        [EntityId] nvarchar(64) NOT NULL,
        [Reason] nvarchar(1000) NULL,
        [BeforeJson] nvarchar(max) NULL,
        [AfterJson] nvarchar(max) NULL,
        [TraceId] nvarchar(32) NULL,
        CONSTRAINT [PK_AuditEntries] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124220412_InitialSchema'
)
BEGIN
    CREATE TABLE [DataProtectionKeys] (
        [Id] int NOT NULL IDENTITY,
        [FriendlyName] nvarchar(200) NOT NULL,
        [Xml] nvarchar(max) NOT NULL,
        CONSTRAINT [PK_DataProtectionKeys] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124220412_InitialSchema'
)
BEGIN
    CREATE TABLE [SimulatedErpLedger] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [IdempotencyKey] nvarchar(200) NOT NULL,
        [Action] nvarchar(64) NOT NULL,
        [PayloadJson] nvarchar(max) NOT NULL,
        [ExternalReference] nvarchar(64) NOT NULL,
        [AppliedAt] datetimeoffset NOT NULL,
        [ReversedAt] datetimeoffset NULL,
        CONSTRAINT [PK_SimulatedErpLedger] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124220412_InitialSchema'
)
BEGIN
    CREATE TABLE [Tenants] (
        [Id] uniqueidentifier NOT NULL,
        [Name] nvarchar(200) NOT NULL,
        [Slug] nvarchar(64) NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        CONSTRAINT [PK_Tenants] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124220412_InitialSchema'
)
BEGIN
    CREATE TABLE [Agents] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [Key] nvarchar(64) NOT NULL,
        [Name] nvarchar(200) NOT NULL,
        [UseCase] nvarchar(32) NOT NULL,
        [Description] nvarchar(1000) NOT NULL,
        [AutoApproveThreshold] float NOT NULL,
        [IsPaused] bit NOT NULL,
        [CurrentVersion] int NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        CONSTRAINT [PK_Agents] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Agents_Tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [Tenants] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124220412_InitialSchema'
)
BEGIN
    CREATE TABLE [ReviewQueues] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [Key] nvarchar(64) NOT NULL,
        [Name] nvarchar(200) NOT NULL,
        [UseCase] nvarchar(32) NOT NULL,
        [Tier] int NOT NULL,
        [SlaMinutes] int NOT NULL,
        [AllowedRolesCsv] nvarchar(500) NOT NULL,
        [Description] nvarchar(1000) NOT NULL,
        [EscalatesToQueueId] uniqueidentifier NULL,
        CONSTRAINT [PK_ReviewQueues] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_ReviewQueues_ReviewQueues_EscalatesToQueueId] FOREIGN KEY ([EscalatesToQueueId]) REFERENCES [ReviewQueues] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_ReviewQueues_Tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [Tenants] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124220412_InitialSchema'
)
BEGIN
    CREATE TABLE [Users] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [UserName] nvarchar(200) NOT NULL,
        [DisplayName] nvarchar(200) NOT NULL,
        [Email] nvarchar(320) NOT NULL,
        [RolesCsv] nvarchar(500) NOT NULL,
        [IsActive] bit NOT NULL,
        CONSTRAINT [PK_Users] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Users_Tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [Tenants] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124220412_InitialSchema'
)
BEGIN
    CREATE TABLE [AgentVersions] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [AgentId] uniqueidentifier NOT NULL,
        [Version] int NOT NULL,
        [Implementation] nvarchar(200) NOT NULL,
        [Notes] nvarchar(1000) NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        CONSTRAINT [PK_AgentVersions] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_AgentVersions_Agents_AgentId] FOREIGN KEY ([AgentId]) REFERENCES [Agents] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124220412_InitialSchema'
)
BEGIN
    CREATE TABLE [Runs] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [AgentId] uniqueidentifier NOT NULL,
        [UseCase] nvarchar(32) NOT NULL,
        [Subject] nvarchar(300) NOT NULL,
        [InputJson] nvarchar(max) NOT NULL,
        [TruthJson] nvarchar(max) NOT NULL,
        [Status] nvarchar(16) NOT NULL,
        [ExecutionStatus] nvarchar(16) NOT NULL,
        [Attempts] int NOT NULL,
        [DecisionId] uniqueidentifier NULL,
        [TraceParent] nvarchar(64) NULL,
        [LastError] nvarchar(2000) NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [UpdatedAt] datetimeoffset NOT NULL,
        [Version] int NOT NULL,
        CONSTRAINT [PK_Runs] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Runs_Agents_AgentId] FOREIGN KEY ([AgentId]) REFERENCES [Agents] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124220412_InitialSchema'
)
BEGIN
    CREATE TABLE [Decisions] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [RunId] uniqueidentifier NOT NULL,
        [AgentId] uniqueidentifier NOT NULL,
        [AgentVersionId] uniqueidentifier NOT NULL,
        [AgentVersion] int NOT NULL,
        [UseCase] nvarchar(32) NOT NULL,
        [Subject] nvarchar(300) NOT NULL,
        [InputsJson] nvarchar(max) NOT NULL,
        [ProposalJson] nvarchar(max) NOT NULL,
        [FinalJson] nvarchar(max) NULL,
        [Confidence] float NOT NULL,
        [Rationale] nvarchar(4000) NOT NULL,
        [EvidenceJson] nvarchar(max) NOT NULL,
        [Risk] nvarchar(16) NOT NULL,
        [ExposureEur] decimal(18,2) NOT NULL,
        [Route] nvarchar(16) NOT NULL,
        [RouteReason] nvarchar(1000) NOT NULL,
        [RoutedBy] nvarchar(200) NOT NULL,
        [RulesFiredJson] nvarchar(max) NOT NULL,
        [Status] nvarchar(16) NOT NULL,
        [QueueId] uniqueidentifier NULL,
        [EscalationLevel] int NOT NULL,
        [Priority] int NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [DueAt] datetimeoffset NULL,
        [ClaimedById] nvarchar(100) NULL,
        [ClaimedByName] nvarchar(200) NULL,
        [ClaimedAt] datetimeoffset NULL,
        [ResolvedById] nvarchar(100) NULL,
        [ResolvedByName] nvarchar(200) NULL,
        [ResolvedAt] datetimeoffset NULL,
        [Version] int NOT NULL,
        CONSTRAINT [PK_Decisions] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Decisions_AgentVersions_AgentVersionId] FOREIGN KEY ([AgentVersionId]) REFERENCES [AgentVersions] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_Decisions_Agents_AgentId] FOREIGN KEY ([AgentId]) REFERENCES [Agents] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_Decisions_ReviewQueues_QueueId] FOREIGN KEY ([QueueId]) REFERENCES [ReviewQueues] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_Decisions_Runs_RunId] FOREIGN KEY ([RunId]) REFERENCES [Runs] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124220412_InitialSchema'
)
BEGIN
    CREATE TABLE [PipelineSteps] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [RunId] uniqueidentifier NOT NULL,
        [Name] nvarchar(32) NOT NULL,
        [Order] int NOT NULL,
        [Status] nvarchar(16) NOT NULL,
        [Attempts] int NOT NULL,
        [StartedAt] datetimeoffset NULL,
        [CompletedAt] datetimeoffset NULL,
        [Error] nvarchar(2000) NULL,
        CONSTRAINT [PK_PipelineSteps] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_PipelineSteps_Runs_RunId] FOREIGN KEY ([RunId]) REFERENCES [Runs] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124220412_InitialSchema'
)
BEGIN
    CREATE TABLE [DecisionReviews] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [DecisionId] uniqueidentifier NOT NULL,
        [Action] nvarchar(16) NOT NULL,
        [ActorId] nvarchar(100) NOT NULL,
        [ActorName] nvarchar(200) NOT NULL,
        [Reason] nvarchar(1000) NULL,
        [ValuesJson] nvarchar(max) NULL,
        [At] datetimeoffset NOT NULL,
        CONSTRAINT [PK_DecisionReviews] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_DecisionReviews_Decisions_DecisionId] FOREIGN KEY ([DecisionId]) REFERENCES [Decisions] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124220412_InitialSchema'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Agents_TenantId_Key] ON [Agents] ([TenantId], [Key]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124220412_InitialSchema'
)
BEGIN
    CREATE UNIQUE INDEX [IX_AgentVersions_AgentId_Version] ON [AgentVersions] ([AgentId], [Version]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124220412_InitialSchema'
)
BEGIN
    CREATE INDEX [IX_AuditEntries_TenantId_EntityType_EntityId] ON [AuditEntries] ([TenantId], [EntityType], [EntityId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124220412_InitialSchema'
)
BEGIN
    CREATE INDEX [IX_DecisionReviews_DecisionId_At] ON [DecisionReviews] ([DecisionId], [At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124220412_InitialSchema'
)
BEGIN
    CREATE INDEX [IX_Decisions_AgentId] ON [Decisions] ([AgentId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124220412_InitialSchema'
)
BEGIN
    CREATE INDEX [IX_Decisions_AgentVersionId] ON [Decisions] ([AgentVersionId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124220412_InitialSchema'
)
BEGIN
    CREATE INDEX [IX_Decisions_QueueId] ON [Decisions] ([QueueId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124220412_InitialSchema'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Decisions_RunId] ON [Decisions] ([RunId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124220412_InitialSchema'
)
BEGIN
    CREATE INDEX [IX_Decisions_TenantId_QueueId_Status] ON [Decisions] ([TenantId], [QueueId], [Status]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124220412_InitialSchema'
)
BEGIN
    CREATE UNIQUE INDEX [IX_PipelineSteps_RunId_Name] ON [PipelineSteps] ([RunId], [Name]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124220412_InitialSchema'
)
BEGIN
    CREATE INDEX [IX_ReviewQueues_EscalatesToQueueId] ON [ReviewQueues] ([EscalatesToQueueId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124220412_InitialSchema'
)
BEGIN
    CREATE UNIQUE INDEX [IX_ReviewQueues_TenantId_Key] ON [ReviewQueues] ([TenantId], [Key]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124220412_InitialSchema'
)
BEGIN
    CREATE INDEX [IX_Runs_AgentId] ON [Runs] ([AgentId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124220412_InitialSchema'
)
BEGIN
    CREATE INDEX [IX_Runs_Status_UpdatedAt] ON [Runs] ([Status], [UpdatedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124220412_InitialSchema'
)
BEGIN
    CREATE UNIQUE INDEX [IX_SimulatedErpLedger_IdempotencyKey] ON [SimulatedErpLedger] ([IdempotencyKey]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124220412_InitialSchema'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Tenants_Slug] ON [Tenants] ([Slug]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124220412_InitialSchema'
)
BEGIN
    CREATE INDEX [IX_Users_TenantId] ON [Users] ([TenantId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124220412_InitialSchema'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Users_UserName] ON [Users] ([UserName]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124220412_InitialSchema'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261124220412_InitialSchema', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125012021_PolicyControlPlane'
)
BEGIN
    DECLARE @var nvarchar(max);
    SELECT @var = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[Agents]') AND [c].[name] = N'AutoApproveThreshold');
    IF @var IS NOT NULL EXEC(N'ALTER TABLE [Agents] DROP CONSTRAINT ' + @var + ';');
    ALTER TABLE [Agents] DROP COLUMN [AutoApproveThreshold];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125012021_PolicyControlPlane'
)
BEGIN
    ALTER TABLE [Tenants] ADD [PolicyApprovalsRequired] int NOT NULL DEFAULT 2;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125012021_PolicyControlPlane'
)
BEGIN
    ALTER TABLE [Decisions] ADD [ApproverIdsCsv] nvarchar(500) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125012021_PolicyControlPlane'
)
BEGIN
    ALTER TABLE [Decisions] ADD [PolicyVersionId] uniqueidentifier NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125012021_PolicyControlPlane'
)
BEGIN
    ALTER TABLE [Decisions] ADD [ProposedRisk] nvarchar(16) NOT NULL DEFAULT N'';
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125012021_PolicyControlPlane'
)
BEGIN
    UPDATE [Decisions] SET [ProposedRisk] = [Risk]
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125012021_PolicyControlPlane'
)
BEGIN
    ALTER TABLE [Decisions] ADD [ReviewCertification] nvarchar(64) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125012021_PolicyControlPlane'
)
BEGIN
    ALTER TABLE [Decisions] ADD [ReviewRole] nvarchar(32) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125012021_PolicyControlPlane'
)
BEGIN
    ALTER TABLE [Decisions] ADD [ReviewersRequired] int NOT NULL DEFAULT 1;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125012021_PolicyControlPlane'
)
BEGIN
    CREATE TABLE [PolicyScopes] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [Kind] nvarchar(16) NOT NULL,
        [Key] nvarchar(64) NOT NULL,
        [UseCase] nvarchar(32) NOT NULL,
        [Name] nvarchar(200) NOT NULL,
        [ActiveVersionId] uniqueidentifier NULL,
        [ActiveNumber] int NULL,
        [ScheduledVersionId] uniqueidentifier NULL,
        [ScheduledFrom] datetimeoffset NULL,
        [LastNumber] int NOT NULL,
        [Version] int NOT NULL,
        CONSTRAINT [PK_PolicyScopes] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_PolicyScopes_Tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [Tenants] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125012021_PolicyControlPlane'
)
BEGIN
    CREATE TABLE [PolicyVersions] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [ScopeId] uniqueidentifier NOT NULL,
        [Number] int NOT NULL,
        [Document] nvarchar(max) NOT NULL,
        [ChangeNote] nvarchar(2200) NOT NULL,
        [Status] nvarchar(16) NOT NULL,
        [AuthorId] nvarchar(100) NOT NULL,
        [AuthorName] nvarchar(200) NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [UpdatedAt] datetimeoffset NOT NULL,
        [SubmittedAt] datetimeoffset NULL,
        [EffectiveFrom] datetimeoffset NULL,
        [ApprovalsRequired] int NOT NULL,
        [ActivatedAt] datetimeoffset NULL,
        [SupersededAt] datetimeoffset NULL,
        [RestoresNumber] int NULL,
        [IsEmergency] bit NOT NULL,
        [Version] int NOT NULL,
        CONSTRAINT [PK_PolicyVersions] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_PolicyVersions_PolicyScopes_ScopeId] FOREIGN KEY ([ScopeId]) REFERENCES [PolicyScopes] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125012021_PolicyControlPlane'
)
BEGIN
    CREATE TABLE [PolicyApprovals] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [PolicyVersionId] uniqueidentifier NOT NULL,
        [ReviewerId] nvarchar(100) NOT NULL,
        [ReviewerName] nvarchar(200) NOT NULL,
        [Comment] nvarchar(2200) NULL,
        [At] datetimeoffset NOT NULL,
        CONSTRAINT [PK_PolicyApprovals] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_PolicyApprovals_PolicyVersions_PolicyVersionId] FOREIGN KEY ([PolicyVersionId]) REFERENCES [PolicyVersions] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125012021_PolicyControlPlane'
)
BEGIN
    CREATE TABLE [PolicyVersionEvents] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [PolicyVersionId] uniqueidentifier NOT NULL,
        [Kind] nvarchar(24) NOT NULL,
        [ActorId] nvarchar(100) NOT NULL,
        [ActorName] nvarchar(200) NOT NULL,
        [Comment] nvarchar(2200) NULL,
        [At] datetimeoffset NOT NULL,
        CONSTRAINT [PK_PolicyVersionEvents] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_PolicyVersionEvents_PolicyVersions_PolicyVersionId] FOREIGN KEY ([PolicyVersionId]) REFERENCES [PolicyVersions] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125012021_PolicyControlPlane'
)
BEGIN
    CREATE INDEX [IX_Decisions_PolicyVersionId] ON [Decisions] ([PolicyVersionId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125012021_PolicyControlPlane'
)
BEGIN
    CREATE INDEX [IX_Decisions_TenantId_UseCase_CreatedAt] ON [Decisions] ([TenantId], [UseCase], [CreatedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125012021_PolicyControlPlane'
)
BEGIN
    CREATE UNIQUE INDEX [IX_PolicyApprovals_PolicyVersionId_ReviewerId] ON [PolicyApprovals] ([PolicyVersionId], [ReviewerId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125012021_PolicyControlPlane'
)
BEGIN
    CREATE UNIQUE INDEX [IX_PolicyScopes_TenantId_Kind_Key] ON [PolicyScopes] ([TenantId], [Kind], [Key]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125012021_PolicyControlPlane'
)
BEGIN
    CREATE INDEX [IX_PolicyVersionEvents_PolicyVersionId_At] ON [PolicyVersionEvents] ([PolicyVersionId], [At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125012021_PolicyControlPlane'
)
BEGIN
    CREATE UNIQUE INDEX [IX_PolicyVersions_ScopeId_Number] ON [PolicyVersions] ([ScopeId], [Number]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125012021_PolicyControlPlane'
)
BEGIN
    ALTER TABLE [Decisions] ADD CONSTRAINT [FK_Decisions_PolicyVersions_PolicyVersionId] FOREIGN KEY ([PolicyVersionId]) REFERENCES [PolicyVersions] ([Id]) ON DELETE NO ACTION;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125012021_PolicyControlPlane'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261125012021_PolicyControlPlane', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201004548_IdempotencyKeys'
)
BEGIN
    ALTER TABLE [Runs] ADD [IdempotencyKey] nvarchar(200) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201004548_IdempotencyKeys'
)
BEGIN
    CREATE TABLE [IdempotentRequests] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [Key] nvarchar(200) NOT NULL,
        [CallerId] nvarchar(100) NOT NULL,
        [Method] nvarchar(8) NOT NULL,
        [Path] nvarchar(400) NOT NULL,
        [RequestHash] nvarchar(64) NOT NULL,
        [State] nvarchar(16) NOT NULL,
        [StatusCode] int NULL,
        [ContentType] nvarchar(100) NULL,
        [Location] nvarchar(400) NULL,
        [ResponseBody] nvarchar(max) NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [LockedUntil] datetimeoffset NOT NULL,
        [ExpiresAt] datetimeoffset NOT NULL,
        [CompletedAt] datetimeoffset NULL,
        [Version] int NOT NULL,
        CONSTRAINT [PK_IdempotentRequests] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_IdempotentRequests_Tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [Tenants] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201004548_IdempotencyKeys'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [IX_Runs_TenantId_IdempotencyKey] ON [Runs] ([TenantId], [IdempotencyKey]) WHERE [IdempotencyKey] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201004548_IdempotencyKeys'
)
BEGIN
    CREATE INDEX [IX_IdempotentRequests_ExpiresAt] ON [IdempotentRequests] ([ExpiresAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201004548_IdempotencyKeys'
)
BEGIN
    CREATE UNIQUE INDEX [IX_IdempotentRequests_TenantId_Key] ON [IdempotentRequests] ([TenantId], [Key]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201004548_IdempotencyKeys'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261201004548_IdempotencyKeys', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201012327_SingleSignOnAndUserAdministration'
)
BEGIN
    DROP INDEX [IX_Users_UserName] ON [Users];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201012327_SingleSignOnAndUserAdministration'
)
BEGIN
    EXEC sp_rename N'[Users].[RolesCsv]', N'GrantedRolesCsv', 'COLUMN';
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201012327_SingleSignOnAndUserAdministration'
)
BEGIN
    ALTER TABLE [Users] ADD [ProviderRolesCsv] nvarchar(500) NOT NULL DEFAULT N'';
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201012327_SingleSignOnAndUserAdministration'
)
BEGIN
    ALTER TABLE [Users] ADD [Issuer] nvarchar(300) NOT NULL DEFAULT N'';
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201012327_SingleSignOnAndUserAdministration'
)
BEGIN
    ALTER TABLE [Users] ADD [Kind] nvarchar(16) NOT NULL DEFAULT N'Person';
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201012327_SingleSignOnAndUserAdministration'
)
BEGIN
    ALTER TABLE [Users] ADD [LastSignInAt] datetimeoffset NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201012327_SingleSignOnAndUserAdministration'
)
BEGIN
    ALTER TABLE [Users] ADD [SecurityStamp] nvarchar(64) NOT NULL DEFAULT N'';
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201012327_SingleSignOnAndUserAdministration'
)
BEGIN
    ALTER TABLE [Users] ADD [Subject] nvarchar(200) NOT NULL DEFAULT N'';
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201012327_SingleSignOnAndUserAdministration'
)
BEGIN
    CREATE TABLE [SignInFailures] (
        [Id] bigint NOT NULL IDENTITY,
        [UserName] nvarchar(200) NOT NULL,
        [At] datetimeoffset NOT NULL,
        CONSTRAINT [PK_SignInFailures] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201012327_SingleSignOnAndUserAdministration'
)
BEGIN
    EXEC(N'UPDATE [Users] SET [Issuer] = N''agentconsole:demo'', [Subject] = [UserName], [SecurityStamp] = LOWER(REPLACE(CONVERT(nvarchar(36), NEWID()), ''-'', ''''));');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201012327_SingleSignOnAndUserAdministration'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Users_Issuer_Subject] ON [Users] ([Issuer], [Subject]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201012327_SingleSignOnAndUserAdministration'
)
BEGIN
    CREATE INDEX [IX_SignInFailures_At] ON [SignInFailures] ([At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201012327_SingleSignOnAndUserAdministration'
)
BEGIN
    CREATE INDEX [IX_SignInFailures_UserName_At] ON [SignInFailures] ([UserName], [At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201012327_SingleSignOnAndUserAdministration'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261201012327_SingleSignOnAndUserAdministration', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201032110_StoredSpans'
)
BEGIN
    CREATE TABLE [StoredSpans] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [TraceId] varchar(32) NOT NULL,
        [SpanId] varchar(16) NOT NULL,
        [ParentSpanId] varchar(16) NULL,
        [LinkedTraceId] varchar(32) NULL,
        [Name] nvarchar(256) NOT NULL,
        [Kind] nvarchar(16) NOT NULL,
        [Source] nvarchar(128) NOT NULL,
        [Service] nvarchar(128) NOT NULL,
        [StartMicros] bigint NOT NULL,
        [EndMicros] bigint NOT NULL,
        [Status] int NOT NULL,
        [StatusDescription] nvarchar(1000) NULL,
        [AttributesJson] nvarchar(max) NOT NULL,
        [EventsJson] nvarchar(max) NOT NULL,
        [LinksJson] nvarchar(max) NOT NULL,
        [DecisionId] uniqueidentifier NULL,
        [RunId] uniqueidentifier NULL,
        [AgentKey] nvarchar(64) NULL,
        CONSTRAINT [PK_StoredSpans] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201032110_StoredSpans'
)
BEGIN
    CREATE INDEX [IX_StoredSpans_AgentKey_StartMicros] ON [StoredSpans] ([AgentKey], [StartMicros]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201032110_StoredSpans'
)
BEGIN
    CREATE INDEX [IX_StoredSpans_DecisionId] ON [StoredSpans] ([DecisionId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201032110_StoredSpans'
)
BEGIN
    CREATE INDEX [IX_StoredSpans_LinkedTraceId] ON [StoredSpans] ([LinkedTraceId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201032110_StoredSpans'
)
BEGIN
    CREATE INDEX [IX_StoredSpans_RunId] ON [StoredSpans] ([RunId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201032110_StoredSpans'
)
BEGIN
    CREATE INDEX [IX_StoredSpans_StartMicros] ON [StoredSpans] ([StartMicros]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201032110_StoredSpans'
)
BEGIN
    CREATE INDEX [IX_StoredSpans_TraceId] ON [StoredSpans] ([TraceId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201032110_StoredSpans'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261201032110_StoredSpans', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201032545_HashChainedAudit'
)
BEGIN
    ALTER TABLE [AuditEntries] ADD [Hash] varbinary(32) NOT NULL DEFAULT 0x;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201032545_HashChainedAudit'
)
BEGIN
    ALTER TABLE [AuditEntries] ADD [PreviousHash] varbinary(32) NOT NULL DEFAULT 0x;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201032545_HashChainedAudit'
)
BEGIN
    ALTER TABLE [AuditEntries] ADD [Sequence] bigint NOT NULL DEFAULT CAST(0 AS bigint);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201032545_HashChainedAudit'
)
BEGIN
    CREATE TABLE [AuditChainHeads] (
        [TenantId] uniqueidentifier NOT NULL,
        [Sequence] bigint NOT NULL,
        [Hash] varbinary(32) NOT NULL,
        [Version] bigint NOT NULL,
        CONSTRAINT [PK_AuditChainHeads] PRIMARY KEY ([TenantId])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201032545_HashChainedAudit'
)
BEGIN
    CREATE TABLE [AuditVerifications] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [StartedAt] datetimeoffset NOT NULL,
        [FinishedAt] datetimeoffset NOT NULL,
        [RequestedByKind] nvarchar(16) NOT NULL,
        [RequestedById] nvarchar(100) NOT NULL,
        [RequestedBy] nvarchar(200) NOT NULL,
        [FirstSequence] bigint NOT NULL,
        [LastSequence] bigint NOT NULL,
        [EntriesChecked] bigint NOT NULL,
        [CheckpointsChecked] int NOT NULL,
        [LatestCheckpointSize] bigint NULL,
        [Outcome] nvarchar(16) NOT NULL,
        [Problem] nvarchar(2000) NULL,
        [FindingCount] int NOT NULL,
        [FindingsJson] nvarchar(max) NOT NULL,
        CONSTRAINT [PK_AuditVerifications] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201032545_HashChainedAudit'
)
BEGIN
    UPDATE e SET [Sequence] = numbered.n FROM [AuditEntries] AS e INNER JOIN (SELECT [Id], ROW_NUMBER() OVER (PARTITION BY [TenantId] ORDER BY [Id]) AS n FROM [AuditEntries]) AS numbered ON numbered.[Id] = e.[Id];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201032545_HashChainedAudit'
)
BEGIN
    INSERT INTO [AuditChainHeads] ([TenantId], [Sequence], [Hash], [Version]) SELECT [TenantId], COUNT_BIG(*), 0x, 0 FROM [AuditEntries] GROUP BY [TenantId];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201032545_HashChainedAudit'
)
BEGIN
    CREATE UNIQUE INDEX [IX_AuditEntries_TenantId_Sequence] ON [AuditEntries] ([TenantId], [Sequence]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201032545_HashChainedAudit'
)
BEGIN
    CREATE INDEX [IX_AuditVerifications_TenantId_StartedAt] ON [AuditVerifications] ([TenantId], [StartedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201032545_HashChainedAudit'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261201032545_HashChainedAudit', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201041508_AuditSearchIndexes'
)
BEGIN
    CREATE INDEX [IX_AuditEntries_TenantId_At] ON [AuditEntries] ([TenantId], [At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201041508_AuditSearchIndexes'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261201041508_AuditSearchIndexes', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201052020_TrainingAndCertifications'
)
BEGIN
    CREATE TABLE [Certifications] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [HolderId] nvarchar(100) NOT NULL,
        [HolderName] nvarchar(200) NOT NULL,
        [Key] nvarchar(64) NOT NULL,
        [DisplayName] nvarchar(200) NOT NULL,
        [TrackName] nvarchar(200) NULL,
        [Score] decimal(5,2) NULL,
        [GrantedAt] datetimeoffset NOT NULL,
        [GrantedByName] nvarchar(200) NOT NULL,
        [ExpiresAt] datetimeoffset NOT NULL,
        [RevokedAt] datetimeoffset NULL,
        [RevokedByName] nvarchar(200) NULL,
        [RevokedReason] nvarchar(1000) NULL,
        [CodeHash] nvarchar(64) NOT NULL,
        CONSTRAINT [PK_Certifications] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Certifications_Tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [Tenants] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201052020_TrainingAndCertifications'
)
BEGIN
    CREATE TABLE [TrainingTracks] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [Key] nvarchar(64) NOT NULL,
        [Version] int NOT NULL,
        [Name] nvarchar(200) NOT NULL,
        [Description] nvarchar(2000) NOT NULL,
        [CertificationKey] nvarchar(64) NOT NULL,
        [PassMarkPercent] int NOT NULL,
        [TimeLimitMinutes] int NOT NULL,
        [AttemptsAllowed] int NOT NULL,
        [ValidityDays] int NOT NULL,
        [State] nvarchar(16) NOT NULL,
        [CreatedBy] nvarchar(200) NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [UpdatedAt] datetimeoffset NOT NULL,
        [PublishedAt] datetimeoffset NULL,
        [Revision] int NOT NULL,
        CONSTRAINT [PK_TrainingTracks] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_TrainingTracks_Tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [Tenants] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201052020_TrainingAndCertifications'
)
BEGIN
    CREATE TABLE [TrainingExercises] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [TrackId] uniqueidentifier NOT NULL,
        [Position] int NOT NULL,
        [Title] nvarchar(200) NOT NULL,
        [Instructions] nvarchar(2000) NOT NULL,
        CONSTRAINT [PK_TrainingExercises] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_TrainingExercises_TrainingTracks_TrackId] FOREIGN KEY ([TrackId]) REFERENCES [TrainingTracks] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201052020_TrainingAndCertifications'
)
BEGIN
    CREATE TABLE [TrainingScenarios] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [ExerciseId] uniqueidentifier NOT NULL,
        [Position] int NOT NULL,
        [UseCase] nvarchar(32) NOT NULL,
        [AgentId] uniqueidentifier NOT NULL,
        [AgentName] nvarchar(200) NOT NULL,
        [Subject] nvarchar(500) NOT NULL,
        [InputsJson] nvarchar(max) NOT NULL,
        [ProposalJson] nvarchar(max) NOT NULL,
        [Confidence] float NOT NULL,
        [GoldAction] nvarchar(16) NOT NULL,
        [GoldValuesJson] nvarchar(max) NULL,
        [Explanation] nvarchar(2000) NOT NULL,
        [Source] nvarchar(16) NOT NULL,
        [SourceDecisionId] uniqueidentifier NULL,
        [MaskedFieldsCsv] nvarchar(1000) NULL,
        [CreatedBy] nvarchar(200) NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        CONSTRAINT [PK_TrainingScenarios] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_TrainingScenarios_TrainingExercises_ExerciseId] FOREIGN KEY ([ExerciseId]) REFERENCES [TrainingExercises] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201052020_TrainingAndCertifications'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Certifications_CodeHash] ON [Certifications] ([CodeHash]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201052020_TrainingAndCertifications'
)
BEGIN
    CREATE INDEX [IX_Certifications_TenantId_HolderId_Key] ON [Certifications] ([TenantId], [HolderId], [Key]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201052020_TrainingAndCertifications'
)
BEGIN
    CREATE UNIQUE INDEX [IX_TrainingExercises_TrackId_Position] ON [TrainingExercises] ([TrackId], [Position]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201052020_TrainingAndCertifications'
)
BEGIN
    CREATE UNIQUE INDEX [IX_TrainingScenarios_ExerciseId_Position] ON [TrainingScenarios] ([ExerciseId], [Position]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201052020_TrainingAndCertifications'
)
BEGIN
    CREATE UNIQUE INDEX [IX_TrainingTracks_TenantId_Key_Version] ON [TrainingTracks] ([TenantId], [Key], [Version]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201052020_TrainingAndCertifications'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261201052020_TrainingAndCertifications', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201065901_TrainingSessionsAndCalibration'
)
BEGIN
    ALTER TABLE [TrainingScenarios] ADD [EvidenceJson] nvarchar(max) NOT NULL DEFAULT N'';
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201065901_TrainingSessionsAndCalibration'
)
BEGIN
    ALTER TABLE [TrainingScenarios] ADD [Rationale] nvarchar(4000) NOT NULL DEFAULT N'';
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201065901_TrainingSessionsAndCalibration'
)
BEGIN
    ALTER TABLE [TrainingScenarios] ADD [Risk] nvarchar(16) NOT NULL DEFAULT N'';
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201065901_TrainingSessionsAndCalibration'
)
BEGIN
    CREATE TABLE [CalibrationGoldItems] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [DecisionId] uniqueidentifier NOT NULL,
        [UseCase] nvarchar(32) NOT NULL,
        [QueueId] uniqueidentifier NOT NULL,
        [SlotStart] datetimeoffset NOT NULL,
        [Source] nvarchar(16) NOT NULL,
        [ScenarioId] uniqueidentifier NULL,
        [GoldAction] nvarchar(16) NOT NULL,
        [GoldValuesJson] nvarchar(max) NULL,
        [Explanation] nvarchar(2000) NOT NULL,
        [PolicyVersionId] uniqueidentifier NULL,
        [SeededAt] datetimeoffset NOT NULL,
        CONSTRAINT [PK_CalibrationGoldItems] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_CalibrationGoldItems_Decisions_DecisionId] FOREIGN KEY ([DecisionId]) REFERENCES [Decisions] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_CalibrationGoldItems_ReviewQueues_QueueId] FOREIGN KEY ([QueueId]) REFERENCES [ReviewQueues] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_CalibrationGoldItems_Tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [Tenants] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201065901_TrainingSessionsAndCalibration'
)
BEGIN
    CREATE TABLE [CalibrationPauses] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [PersonId] nvarchar(100) NOT NULL,
        [PersonName] nvarchar(200) NOT NULL,
        [UseCase] nvarchar(32) NOT NULL,
        [RiskLevelsCsv] nvarchar(64) NOT NULL,
        [AccuracyPercent] float NOT NULL,
        [Answers] int NOT NULL,
        [ThresholdPercent] float NOT NULL,
        [WindowHours] int NOT NULL,
        [PausedAt] datetimeoffset NOT NULL,
        [ClearedAt] datetimeoffset NULL,
        [ClearedByName] nvarchar(200) NULL,
        [ClearedReason] nvarchar(1000) NULL,
        [Version] int NOT NULL,
        CONSTRAINT [PK_CalibrationPauses] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_CalibrationPauses_Tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [Tenants] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201065901_TrainingSessionsAndCalibration'
)
BEGIN
    CREATE TABLE [TrainingSessions] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [TrackId] uniqueidentifier NOT NULL,
        [TrackKey] nvarchar(64) NOT NULL,
        [TrackVersion] int NOT NULL,
        [TrackName] nvarchar(200) NOT NULL,
        [CertificationKey] nvarchar(64) NOT NULL,
        [PassMarkPercent] int NOT NULL,
        [ExerciseId] uniqueidentifier NULL,
        [TraineeId] nvarchar(64) NOT NULL,
        [TraineeName] nvarchar(200) NOT NULL,
        [Mode] nvarchar(16) NOT NULL,
        [Attempt] int NOT NULL,
        [StartedAt] datetimeoffset NOT NULL,
        [Deadline] datetimeoffset NULL,
        [EndedAt] datetimeoffset NULL,
        [EndReason] nvarchar(16) NULL,
        [Total] int NOT NULL,
        [Correct] int NULL,
        [AccuracyPercent] float NULL,
        [MeanSecondsPerItem] float NULL,
        [Kappa] float NULL,
        [KappaNote] nvarchar(500) NULL,
        [Passed] bit NULL,
        [CertificationId] uniqueidentifier NULL,
        [Revision] int NOT NULL,
        CONSTRAINT [PK_TrainingSessions] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_TrainingSessions_Tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [Tenants] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_TrainingSessions_TrainingTracks_TrackId] FOREIGN KEY ([TrackId]) REFERENCES [TrainingTracks] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201065901_TrainingSessionsAndCalibration'
)
BEGIN
    CREATE TABLE [CalibrationAnswers] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [GoldItemId] uniqueidentifier NOT NULL,
        [DecisionId] uniqueidentifier NOT NULL,
        [UseCase] nvarchar(32) NOT NULL,
        [PersonId] nvarchar(100) NOT NULL,
        [PersonName] nvarchar(200) NOT NULL,
        [Action] nvarchar(16) NOT NULL,
        [ValuesJson] nvarchar(max) NULL,
        [GoldAction] nvarchar(16) NOT NULL,
        [GoldValuesJson] nvarchar(max) NULL,
        [Seconds] float NOT NULL,
        [Correct] bit NOT NULL,
        [WrongFieldsCsv] nvarchar(500) NULL,
        [AnsweredAt] datetimeoffset NOT NULL,
        CONSTRAINT [PK_CalibrationAnswers] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_CalibrationAnswers_CalibrationGoldItems_GoldItemId] FOREIGN KEY ([GoldItemId]) REFERENCES [CalibrationGoldItems] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_CalibrationAnswers_Tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [Tenants] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201065901_TrainingSessionsAndCalibration'
)
BEGIN
    CREATE TABLE [TrainingSessionItems] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [SessionId] uniqueidentifier NOT NULL,
        [ScenarioId] uniqueidentifier NOT NULL,
        [Position] int NOT NULL,
        [OpenedAt] datetimeoffset NULL,
        [ClaimedAt] datetimeoffset NULL,
        [AnsweredAt] datetimeoffset NULL,
        [Action] nvarchar(16) NULL,
        [ValuesJson] nvarchar(max) NULL,
        [Reason] nvarchar(1000) NULL,
        [Seconds] float NULL,
        [Correct] bit NULL,
        [WrongFieldsCsv] nvarchar(1000) NULL,
        CONSTRAINT [PK_TrainingSessionItems] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_TrainingSessionItems_TrainingScenarios_ScenarioId] FOREIGN KEY ([ScenarioId]) REFERENCES [TrainingScenarios] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_TrainingSessionItems_TrainingSessions_SessionId] FOREIGN KEY ([SessionId]) REFERENCES [TrainingSessions] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201065901_TrainingSessionsAndCalibration'
)
BEGIN
    CREATE UNIQUE INDEX [IX_CalibrationAnswers_GoldItemId_PersonId] ON [CalibrationAnswers] ([GoldItemId], [PersonId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201065901_TrainingSessionsAndCalibration'
)
BEGIN
    CREATE INDEX [IX_CalibrationAnswers_TenantId_PersonId_UseCase_AnsweredAt] ON [CalibrationAnswers] ([TenantId], [PersonId], [UseCase], [AnsweredAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201065901_TrainingSessionsAndCalibration'
)
BEGIN
    CREATE UNIQUE INDEX [IX_CalibrationGoldItems_DecisionId] ON [CalibrationGoldItems] ([DecisionId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201065901_TrainingSessionsAndCalibration'
)
BEGIN
    CREATE INDEX [IX_CalibrationGoldItems_QueueId] ON [CalibrationGoldItems] ([QueueId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201065901_TrainingSessionsAndCalibration'
)
BEGIN
    CREATE UNIQUE INDEX [IX_CalibrationGoldItems_TenantId_QueueId_SlotStart] ON [CalibrationGoldItems] ([TenantId], [QueueId], [SlotStart]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201065901_TrainingSessionsAndCalibration'
)
BEGIN
    CREATE INDEX [IX_CalibrationPauses_TenantId_PersonId_ClearedAt] ON [CalibrationPauses] ([TenantId], [PersonId], [ClearedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201065901_TrainingSessionsAndCalibration'
)
BEGIN
    CREATE INDEX [IX_TrainingSessionItems_ScenarioId] ON [TrainingSessionItems] ([ScenarioId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201065901_TrainingSessionsAndCalibration'
)
BEGIN
    CREATE UNIQUE INDEX [IX_TrainingSessionItems_SessionId_Position] ON [TrainingSessionItems] ([SessionId], [Position]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201065901_TrainingSessionsAndCalibration'
)
BEGIN
    CREATE INDEX [IX_TrainingSessions_EndedAt_Deadline] ON [TrainingSessions] ([EndedAt], [Deadline]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201065901_TrainingSessionsAndCalibration'
)
BEGIN
    CREATE INDEX [IX_TrainingSessions_TenantId_TraineeId_TrackId] ON [TrainingSessions] ([TenantId], [TraineeId], [TrackId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201065901_TrainingSessionsAndCalibration'
)
BEGIN
    CREATE INDEX [IX_TrainingSessions_TrackId] ON [TrainingSessions] ([TrackId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201065901_TrainingSessionsAndCalibration'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261201065901_TrainingSessionsAndCalibration', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201074500_ReviewOperations'
)
BEGIN
    ALTER TABLE [Decisions] ADD [AssignedToId] nvarchar(100) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201074500_ReviewOperations'
)
BEGIN
    ALTER TABLE [Decisions] ADD [AssignedToName] nvarchar(200) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201074500_ReviewOperations'
)
BEGIN
    ALTER TABLE [Decisions] ADD [LeaseLapsedFromId] nvarchar(100) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201074500_ReviewOperations'
)
BEGIN
    ALTER TABLE [Decisions] ADD [LeaseRenewedAt] datetimeoffset NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201074500_ReviewOperations'
)
BEGIN
    ALTER TABLE [Decisions] ADD [NextSlaStepAt] datetimeoffset NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201074500_ReviewOperations'
)
BEGIN
    ALTER TABLE [Decisions] ADD [SlaClockStartedAt] datetimeoffset NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201074500_ReviewOperations'
)
BEGIN
    ALTER TABLE [Decisions] ADD [SlaWarnedAt] datetimeoffset NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201074500_ReviewOperations'
)
BEGIN
    CREATE TABLE [BusinessCalendars] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [TimeZone] nvarchar(64) NOT NULL,
        [WorkingDaysCsv] nvarchar(100) NOT NULL,
        [DayStartsMinute] int NOT NULL,
        [DayEndsMinute] int NOT NULL,
        [HolidayCountry] nvarchar(8) NULL,
        [HolidaysCsv] nvarchar(max) NOT NULL,
        [UpdatedAt] datetimeoffset NOT NULL,
        [UpdatedByName] nvarchar(200) NOT NULL,
        [Version] int NOT NULL,
        CONSTRAINT [PK_BusinessCalendars] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_BusinessCalendars_Tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [Tenants] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201074500_ReviewOperations'
)
BEGIN
    CREATE TABLE [SavedFilters] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [OwnerId] nvarchar(64) NOT NULL,
        [QueueId] uniqueidentifier NOT NULL,
        [Name] nvarchar(60) NOT NULL,
        [AgentId] uniqueidentifier NULL,
        [MinRisk] nvarchar(16) NULL,
        [ConfidenceBand] nvarchar(8) NOT NULL,
        [Sort] nvarchar(32) NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        CONSTRAINT [PK_SavedFilters] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_SavedFilters_ReviewQueues_QueueId] FOREIGN KEY ([QueueId]) REFERENCES [ReviewQueues] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201074500_ReviewOperations'
)
BEGIN
    CREATE TABLE [SlaStepFirings] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [DecisionId] uniqueidentifier NOT NULL,
        [QueueId] uniqueidentifier NOT NULL,
        [Step] nvarchar(16) NOT NULL,
        [PolicyVersionId] uniqueidentifier NOT NULL,
        [Threshold] nvarchar(16) NOT NULL,
        [DueAt] datetimeoffset NOT NULL,
        [Outcome] nvarchar(300) NOT NULL,
        [FiredAt] datetimeoffset NOT NULL,
        CONSTRAINT [PK_SlaStepFirings] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_SlaStepFirings_Decisions_DecisionId] FOREIGN KEY ([DecisionId]) REFERENCES [Decisions] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_SlaStepFirings_PolicyVersions_PolicyVersionId] FOREIGN KEY ([PolicyVersionId]) REFERENCES [PolicyVersions] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_SlaStepFirings_ReviewQueues_QueueId] FOREIGN KEY ([QueueId]) REFERENCES [ReviewQueues] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201074500_ReviewOperations'
)
BEGIN
    CREATE INDEX [IX_Decisions_NextSlaStepAt] ON [Decisions] ([NextSlaStepAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201074500_ReviewOperations'
)
BEGIN
    CREATE INDEX [IX_Decisions_Status_LeaseRenewedAt] ON [Decisions] ([Status], [LeaseRenewedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201074500_ReviewOperations'
)
BEGIN
    CREATE UNIQUE INDEX [IX_BusinessCalendars_TenantId] ON [BusinessCalendars] ([TenantId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201074500_ReviewOperations'
)
BEGIN
    CREATE INDEX [IX_SavedFilters_QueueId] ON [SavedFilters] ([QueueId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201074500_ReviewOperations'
)
BEGIN
    CREATE INDEX [IX_SavedFilters_TenantId_OwnerId_QueueId] ON [SavedFilters] ([TenantId], [OwnerId], [QueueId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201074500_ReviewOperations'
)
BEGIN
    CREATE UNIQUE INDEX [IX_SlaStepFirings_DecisionId_QueueId_Step] ON [SlaStepFirings] ([DecisionId], [QueueId], [Step]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201074500_ReviewOperations'
)
BEGIN
    CREATE INDEX [IX_SlaStepFirings_PolicyVersionId] ON [SlaStepFirings] ([PolicyVersionId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201074500_ReviewOperations'
)
BEGIN
    CREATE INDEX [IX_SlaStepFirings_QueueId] ON [SlaStepFirings] ([QueueId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201074500_ReviewOperations'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261201074500_ReviewOperations', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201074844_AgentPauseAndCircuitBreaker'
)
BEGIN
    DROP INDEX [IX_Runs_AgentId] ON [Runs];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201074844_AgentPauseAndCircuitBreaker'
)
BEGIN
    DROP INDEX [IX_Decisions_AgentId] ON [Decisions];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201074844_AgentPauseAndCircuitBreaker'
)
BEGIN
    ALTER TABLE [Runs] ADD [HeldProposalJson] nvarchar(max) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201074844_AgentPauseAndCircuitBreaker'
)
BEGIN
    ALTER TABLE [Runs] ADD [HeldReason] nvarchar(1000) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201074844_AgentPauseAndCircuitBreaker'
)
BEGIN
    ALTER TABLE [Agents] ADD [PauseReason] nvarchar(1000) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201074844_AgentPauseAndCircuitBreaker'
)
BEGIN
    ALTER TABLE [Agents] ADD [PauseVersion] int NOT NULL DEFAULT 0;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201074844_AgentPauseAndCircuitBreaker'
)
BEGIN
    ALTER TABLE [Agents] ADD [PausedAt] datetimeoffset NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201074844_AgentPauseAndCircuitBreaker'
)
BEGIN
    ALTER TABLE [Agents] ADD [PausedByBreaker] bit NOT NULL DEFAULT CAST(0 AS bit);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201074844_AgentPauseAndCircuitBreaker'
)
BEGIN
    ALTER TABLE [Agents] ADD [PausedById] nvarchar(100) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201074844_AgentPauseAndCircuitBreaker'
)
BEGIN
    ALTER TABLE [Agents] ADD [PausedByName] nvarchar(200) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201074844_AgentPauseAndCircuitBreaker'
)
BEGIN
    CREATE INDEX [IX_Runs_AgentId_Status] ON [Runs] ([AgentId], [Status]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201074844_AgentPauseAndCircuitBreaker'
)
BEGIN
    CREATE INDEX [IX_Decisions_AgentId_ResolvedAt] ON [Decisions] ([AgentId], [ResolvedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201074844_AgentPauseAndCircuitBreaker'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261201074844_AgentPauseAndCircuitBreaker', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201094150_FourEyesNotificationsAndQueuePages'
)
BEGIN
    DROP INDEX [IX_Decisions_QueueId] ON [Decisions];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201094150_FourEyesNotificationsAndQueuePages'
)
BEGIN
    ALTER TABLE [Decisions] ADD [NeedsSeniorDecision] bit NOT NULL DEFAULT CAST(0 AS bit);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201094150_FourEyesNotificationsAndQueuePages'
)
BEGIN
    ALTER TABLE [Decisions] ADD [RejecterIdsCsv] nvarchar(500) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201094150_FourEyesNotificationsAndQueuePages'
)
BEGIN
    ALTER TABLE [Decisions] ADD [ReviewersDisagreedAt] datetimeoffset NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201094150_FourEyesNotificationsAndQueuePages'
)
BEGIN
    CREATE TABLE [NotificationPreferences] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [UserId] uniqueidentifier NOT NULL,
        [EmailKindsCsv] nvarchar(100) NOT NULL,
        [UpdatedAt] datetimeoffset NOT NULL,
        CONSTRAINT [PK_NotificationPreferences] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_NotificationPreferences_Tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [Tenants] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_NotificationPreferences_Users_UserId] FOREIGN KEY ([UserId]) REFERENCES [Users] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201094150_FourEyesNotificationsAndQueuePages'
)
BEGIN
    CREATE TABLE [Notifications] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [RecipientId] uniqueidentifier NOT NULL,
        [Kind] nvarchar(16) NOT NULL,
        [Text] nvarchar(600) NOT NULL,
        [DecisionId] uniqueidentifier NULL,
        [QueueId] uniqueidentifier NULL,
        [AgentKey] nvarchar(64) NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [ReadAt] datetimeoffset NULL,
        CONSTRAINT [PK_Notifications] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Notifications_Tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [Tenants] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_Notifications_Users_RecipientId] FOREIGN KEY ([RecipientId]) REFERENCES [Users] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201094150_FourEyesNotificationsAndQueuePages'
)
BEGIN
    CREATE TABLE [QueueSeenMarks] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [UserId] uniqueidentifier NOT NULL,
        [QueueId] uniqueidentifier NOT NULL,
        [SeenAt] datetimeoffset NOT NULL,
        CONSTRAINT [PK_QueueSeenMarks] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_QueueSeenMarks_ReviewQueues_QueueId] FOREIGN KEY ([QueueId]) REFERENCES [ReviewQueues] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_QueueSeenMarks_Tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [Tenants] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_QueueSeenMarks_Users_UserId] FOREIGN KEY ([UserId]) REFERENCES [Users] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201094150_FourEyesNotificationsAndQueuePages'
)
BEGIN
    CREATE TABLE [Webhooks] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [Name] nvarchar(100) NOT NULL,
        [Url] nvarchar(500) NOT NULL,
        [Secret] nvarchar(120) NOT NULL,
        [KindsCsv] nvarchar(100) NOT NULL,
        [IsActive] bit NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [CreatedByName] nvarchar(200) NOT NULL,
        [UpdatedAt] datetimeoffset NOT NULL,
        [Version] int NOT NULL,
        [RemovedAt] datetimeoffset NULL,
        CONSTRAINT [PK_Webhooks] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Webhooks_Tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [Tenants] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201094150_FourEyesNotificationsAndQueuePages'
)
BEGIN
    CREATE TABLE [NotificationDeliveries] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [Channel] nvarchar(16) NOT NULL,
        [Kind] nvarchar(16) NOT NULL,
        [NotificationId] uniqueidentifier NULL,
        [RecipientId] uniqueidentifier NULL,
        [WebhookId] uniqueidentifier NULL,
        [Target] nvarchar(500) NOT NULL,
        [Subject] nvarchar(200) NOT NULL,
        [Body] nvarchar(max) NOT NULL,
        [Status] nvarchar(16) NOT NULL,
        [Attempts] int NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [NextAttemptAt] datetimeoffset NOT NULL,
        [LockedUntil] datetimeoffset NULL,
        [SentAt] datetimeoffset NULL,
        [LastStatusCode] int NULL,
        [LastError] nvarchar(500) NULL,
        CONSTRAINT [PK_NotificationDeliveries] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_NotificationDeliveries_Notifications_NotificationId] FOREIGN KEY ([NotificationId]) REFERENCES [Notifications] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_NotificationDeliveries_Tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [Tenants] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_NotificationDeliveries_Webhooks_WebhookId] FOREIGN KEY ([WebhookId]) REFERENCES [Webhooks] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201094150_FourEyesNotificationsAndQueuePages'
)
BEGIN
    EXEC(N'CREATE INDEX [IX_Decisions_Open_Confidence] ON [Decisions] ([TenantId], [QueueId], [Confidence], [DueAt], [Id]) WHERE [Status] IN (''Pending'', ''InReview'', ''Escalated'')');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201094150_FourEyesNotificationsAndQueuePages'
)
BEGIN
    EXEC(N'CREATE INDEX [IX_Decisions_Open_Created] ON [Decisions] ([TenantId], [QueueId], [CreatedAt], [Id]) WHERE [Status] IN (''Pending'', ''InReview'', ''Escalated'')');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201094150_FourEyesNotificationsAndQueuePages'
)
BEGIN
    EXEC(N'CREATE INDEX [IX_Decisions_Open_Due] ON [Decisions] ([TenantId], [QueueId], [DueAt], [Priority], [Id]) WHERE [Status] IN (''Pending'', ''InReview'', ''Escalated'')');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201094150_FourEyesNotificationsAndQueuePages'
)
BEGIN
    EXEC(N'CREATE INDEX [IX_Decisions_Open_Filters] ON [Decisions] ([TenantId], [QueueId], [AgentId], [Risk], [Confidence]) WHERE [Status] IN (''Pending'', ''InReview'', ''Escalated'')');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201094150_FourEyesNotificationsAndQueuePages'
)
BEGIN
    EXEC(N'CREATE INDEX [IX_Decisions_Open_Priority] ON [Decisions] ([TenantId], [QueueId], [Priority], [DueAt], [Id]) WHERE [Status] IN (''Pending'', ''InReview'', ''Escalated'')');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201094150_FourEyesNotificationsAndQueuePages'
)
BEGIN
    CREATE INDEX [IX_Decisions_QueueId_SlaClockStartedAt] ON [Decisions] ([QueueId], [SlaClockStartedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201094150_FourEyesNotificationsAndQueuePages'
)
BEGIN
    CREATE INDEX [IX_Decisions_QueueId_SlaWarnedAt] ON [Decisions] ([QueueId], [SlaWarnedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201094150_FourEyesNotificationsAndQueuePages'
)
BEGIN
    CREATE INDEX [IX_NotificationDeliveries_NotificationId] ON [NotificationDeliveries] ([NotificationId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201094150_FourEyesNotificationsAndQueuePages'
)
BEGIN
    CREATE INDEX [IX_NotificationDeliveries_Status_NextAttemptAt] ON [NotificationDeliveries] ([Status], [NextAttemptAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201094150_FourEyesNotificationsAndQueuePages'
)
BEGIN
    CREATE INDEX [IX_NotificationDeliveries_TenantId_CreatedAt] ON [NotificationDeliveries] ([TenantId], [CreatedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201094150_FourEyesNotificationsAndQueuePages'
)
BEGIN
    CREATE INDEX [IX_NotificationDeliveries_WebhookId] ON [NotificationDeliveries] ([WebhookId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201094150_FourEyesNotificationsAndQueuePages'
)
BEGIN
    CREATE INDEX [IX_NotificationPreferences_TenantId] ON [NotificationPreferences] ([TenantId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201094150_FourEyesNotificationsAndQueuePages'
)
BEGIN
    CREATE UNIQUE INDEX [IX_NotificationPreferences_UserId] ON [NotificationPreferences] ([UserId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201094150_FourEyesNotificationsAndQueuePages'
)
BEGIN
    CREATE INDEX [IX_Notifications_RecipientId_CreatedAt] ON [Notifications] ([RecipientId], [CreatedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201094150_FourEyesNotificationsAndQueuePages'
)
BEGIN
    CREATE INDEX [IX_Notifications_RecipientId_ReadAt] ON [Notifications] ([RecipientId], [ReadAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201094150_FourEyesNotificationsAndQueuePages'
)
BEGIN
    CREATE INDEX [IX_Notifications_TenantId] ON [Notifications] ([TenantId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201094150_FourEyesNotificationsAndQueuePages'
)
BEGIN
    CREATE INDEX [IX_QueueSeenMarks_QueueId] ON [QueueSeenMarks] ([QueueId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201094150_FourEyesNotificationsAndQueuePages'
)
BEGIN
    CREATE INDEX [IX_QueueSeenMarks_TenantId] ON [QueueSeenMarks] ([TenantId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201094150_FourEyesNotificationsAndQueuePages'
)
BEGIN
    CREATE UNIQUE INDEX [IX_QueueSeenMarks_UserId_QueueId] ON [QueueSeenMarks] ([UserId], [QueueId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201094150_FourEyesNotificationsAndQueuePages'
)
BEGIN
    CREATE INDEX [IX_Webhooks_TenantId_IsActive] ON [Webhooks] ([TenantId], [IsActive]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201094150_FourEyesNotificationsAndQueuePages'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261201094150_FourEyesNotificationsAndQueuePages', N'10.0.15');
END;

COMMIT;
GO

