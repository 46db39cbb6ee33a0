/** A point on the Earth, in degrees. */
export interface GeoPoint {
  latitude: number;
  longitude: number;
}

/** The mean radius of the Earth (IUGG), in metres. */
const earthRadiusMeters = 6_371_008.8;

const radians = (degrees: number) => (degrees * Math.PI) / 180;

/**
 * The great-circle distance between two points (haversine), in metres. Off by
 * at most half a percent for the Earth's flattening: nothing next to the
 * accuracy of a phone's shared location.
 */
export function distanceMeters(a: GeoPoint, b: GeoPoint): number {
  const dLat = radians(b.latitude - a.latitude);
  const dLon = radians(b.longitude - a.longitude);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(radians(a.latitude)) * Math.cos(radians(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * earthRadiusMeters * Math.asin(Math.min(1, Math.sqrt(h)));
}
