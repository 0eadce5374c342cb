namespace MetaModel.Gateway.Tenants;

/// <summary>An authenticated tenant with the metamodel that serves it.</summary>
/// <param name="Id">The tenant id, passed to MetaModel with <c>WithTenant</c>.</param>
/// <param name="MetaModel">The metamodel that serves the tenant.</param>
/// <param name="Budget">The tenant's spend limit, or <see langword="null"/> for none.</param>
internal sealed record Tenant(string Id, MetaModelChatClient MetaModel, BudgetOptions? Budget);
