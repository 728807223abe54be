// Drills: generated references (drills.ts), their raster (shapes.ts), their own figures
// (measure.ts, fit.ts) and the adaptive pick (pick.ts).
export * from './drills.ts'
export * from './shapes.ts'
export * from './measure.ts'
export { fitLine, fitEllipse, inkPoints, angleDifference, screenAngle } from './fit.ts'
export * from './pick.ts'
export { seededRandom } from './random.ts'
