/**
 * How many pools a fleet action, profile or rule may set: a primary and two fallbacks, as the
 * miners take them. Its own module so the dashboard's form can import it without the schemas.
 */
export const MAX_FLEET_POOLS = 3;
