using Microsoft.EntityFrameworkCore;

namespace PneumoniaPortal.Web.Data;

/// <summary>Lets <c>dotnet ef migrations add X --context PostgresPortalDbContext</c> build the model without a server.</summary>
public sealed class PostgresPortalDbContextDesignFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<PostgresPortalDbContext>
{
    public PostgresPortalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresPortalDbContext>().UseNpgsql("Host=localhost;Database=portal_design").Options);
}
