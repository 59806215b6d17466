using Microsoft.EntityFrameworkCore;

namespace PneumoniaPortal.Web.Data;

/// <summary>The portal's data on PostgreSQL (<c>Portal:Database=postgres</c>), shared by every node of a scaled-out portal.</summary>
public sealed class PostgresPortalDbContext(DbContextOptions<PostgresPortalDbContext> options) : PortalDbContext(options);
