// The sheet as a PDF: one A4 page holding the sheet's picture (sheet.ts) edge to edge, at the
// 200 dpi it was drawn for, with the document's title, author and date set, so it prints at its
// size from any viewer. pdf-lib writes it (pure JavaScript, no fonts needed: the text is in the
// picture, drawn with the same fonts as the heatmaps).
import { PDFDocument } from 'pdf-lib'
import { SHEET, SHEET_DPI } from './sheet.ts'

/** A4 in PDF points (1/72 inch). */
export const A4_POINTS = { width: (SHEET.width / SHEET_DPI) * 72, height: (SHEET.height / SHEET_DPI) * 72 } as const

export interface SheetPdfInfo {
  title: string
  /** The person's name; '' leaves the author out. */
  author: string
  subject: string
  /** The attempt's date (the document's creation date, so the same attempt gives the same file). */
  date: Date
  producer: string
}

export async function sheetPdf(png: Uint8Array, info: SheetPdfInfo): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false })
  doc.setTitle(info.title, { showInWindowTitleBar: true })
  if (info.author) doc.setAuthor(info.author)
  doc.setSubject(info.subject)
  doc.setProducer(info.producer)
  doc.setCreator(info.producer)
  doc.setCreationDate(info.date)
  doc.setModificationDate(info.date)
  const image = await doc.embedPng(png)
  const page = doc.addPage([A4_POINTS.width, A4_POINTS.height])
  page.drawImage(image, { x: 0, y: 0, width: A4_POINTS.width, height: A4_POINTS.height })
  return doc.save()
}
